package parquetfmt

import (
	"fmt"

	"github.com/apache/arrow-go/v18/parquet/metadata"

	"github.com/drover-etl/drover/format"
)

// splitRowGroups lists the row groups a split covers (nil: all) and the
// rows of each it covers (all, unless the split is a row range of one row
// group), and checks they exist: a split computed from another version of
// the file must not silently read the wrong data.
func splitRowGroups(split format.Split, md *metadata.FileMetaData) ([]int, []rowRange, error) {
	n := md.NumRowGroups()
	rgs := split.RowGroups
	if rgs == nil {
		rgs = make([]int, n)
		for i := range rgs {
			rgs[i] = i
		}
	}
	ranges := make([]rowRange, len(rgs))
	for i, rg := range rgs {
		if rg < 0 || rg >= n {
			return nil, nil, fmt.Errorf("row group %d does not exist (file has %d)", rg, n)
		}
		ranges[i] = rowRange{0, md.RowGroup(rg).NumRows()}
	}
	if split.RowCount > 0 {
		if len(rgs) != 1 {
			return nil, nil, fmt.Errorf("a split of rows %d+%d names %d row groups, want one", split.RowStart, split.RowCount, len(rgs))
		}
		r := rowRange{split.RowStart, split.RowStart + split.RowCount}
		if r.from < 0 || r.to > ranges[0].to {
			return nil, nil, fmt.Errorf("rows %d to %d are not in row group %d (%d rows)", r.from, r.to, rgs[0], ranges[0].to)
		}
		ranges[0] = r
	}
	return rgs, ranges, nil
}

// rowStarts gives the file row number of the first row of each row group,
// for DataError.Row.
func rowStarts(md *metadata.FileMetaData, rowGroups []int) []int64 {
	prefix := make([]int64, md.NumRowGroups()+1)
	for i := range md.NumRowGroups() {
		prefix[i+1] = prefix[i] + md.RowGroup(i).NumRows()
	}
	out := make([]int64, len(rowGroups))
	for i, rg := range rowGroups {
		out[i] = prefix[rg]
	}
	return out
}
