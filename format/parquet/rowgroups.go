package parquetfmt

import (
	"fmt"

	"github.com/apache/arrow-go/v18/parquet/metadata"

	"github.com/drover-etl/drover/format"
)

// splitRowGroups lists the row groups a split covers (nil: all) and checks
// they exist: a split computed from another version of the file must not
// silently read the wrong data.
func splitRowGroups(split format.Split, n int) ([]int, error) {
	if split.RowGroups == nil {
		all := make([]int, n)
		for i := range all {
			all[i] = i
		}
		return all, nil
	}
	for _, rg := range split.RowGroups {
		if rg < 0 || rg >= n {
			return nil, fmt.Errorf("row group %d does not exist (file has %d)", rg, n)
		}
	}
	return split.RowGroups, nil
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
