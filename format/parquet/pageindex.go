package parquetfmt

import (
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/types"
)

// pageSelector narrows a row group to the rows whose pages may match the
// filters, from the page index (column index: each page's min, max and
// nulls; offset index: each page's first row). The row group is cut at
// every page boundary of the filter columns; in each segment every filter
// column lies within one page, so the pruner's test, fed those pages'
// bounds, decides the segment. Columns without a page index keep their
// row-group statistics. Answers it is unsure of are "may match", as for
// row groups.
type pageSelector struct {
	rdr     *file.Reader
	ro      format.ReadOptions
	fc      *fileColumns
	columns []int // table columns the filters reference
}

func newPageSelector(rdr *file.Reader, ro format.ReadOptions, fc *fileColumns) *pageSelector {
	if len(ro.Filters) == 0 {
		return nil
	}
	var cols []int
	for _, f := range ro.Filters {
		expr.Walk(f, func(e *expr.Expr) bool {
			if e.Kind == expr.KindColumn && e.Index >= 0 && e.Index < ro.Table.Len() && !slices.Contains(cols, e.Index) {
				cols = append(cols, e.Index)
			}
			return true
		})
	}
	if len(cols) == 0 {
		return nil
	}
	return &pageSelector{rdr: rdr, ro: ro, fc: fc, columns: cols}
}

// pageBounds is one filter column's pages in a row group.
type pageBounds struct {
	col    int     // table column
	starts []int64 // first row of each page
	bounds []bounds
}

// selectRows returns the sub-ranges of r (rows of row group rg) that may
// match, in order.
func (s *pageSelector) selectRows(rg int, r rowRange) (out []rowRange) {
	if s == nil {
		return []rowRange{r}
	}
	defer func() {
		if recover() != nil {
			// A page index arrow-go cannot decode: no page pruning.
			out = []rowRange{r}
		}
	}()
	rgm := s.rdr.MetaData().RowGroup(rg)
	pir, err := s.rdr.GetPageIndexReader().RowGroup(rg)
	if err != nil || pir == nil {
		return []rowRange{r}
	}
	var cols []pageBounds
	cuts := []int64{r.from, r.to}
	for _, c := range s.columns {
		pb, ok := s.columnPages(pir, rgm, c)
		if !ok {
			continue
		}
		cols = append(cols, pb)
		for _, st := range pb.starts {
			if st > r.from && st < r.to {
				cuts = append(cuts, st)
			}
		}
	}
	if len(cols) == 0 {
		return []rowRange{r}
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	ids := format.ReadOptions{Table: s.ro.Table, FieldIDs: s.ro.FieldIDs}
	for i := 0; i+1 < len(cuts); i++ {
		seg := rowRange{cuts[i], cuts[i+1]}
		pr := &pruner{table: s.ro.Table, ids: ids, fc: s.fc, rg: rgm, cached: map[int]bounds{}}
		for _, pb := range cols {
			// The page holding the segment's first row holds all of it.
			p, _ := slices.BinarySearch(pb.starts, seg.from+1)
			pr.cached[pb.col] = pb.bounds[p-1]
		}
		if !pr.all(s.ro.Filters) {
			continue
		}
		if n := len(out); n > 0 && out[n-1].to == seg.from {
			out[n-1].to = seg.to
		} else {
			out = append(out, seg)
		}
	}
	return out
}

// columnPages reads table column c's page index in the row group.
func (s *pageSelector) columnPages(pir *metadata.RowGroupPageIndexReader, rgm *metadata.RowGroupMetaData, c int) (pageBounds, bool) {
	sf, _, err := s.fc.column(s.ro, c)
	if err != nil {
		return pageBounds{}, false
	}
	if _, ok := rgm.ColumnIndexLocation(sf.ColIndex); !ok {
		return pageBounds{}, false
	}
	if _, ok := rgm.OffsetIndexLocation(sf.ColIndex); !ok {
		return pageBounds{}, false
	}
	ci, err := pir.GetColumnIndex(sf.ColIndex)
	if err != nil || ci == nil {
		return pageBounds{}, false
	}
	oi, err := pir.GetOffsetIndex(sf.ColIndex)
	if err != nil || oi == nil {
		return pageBounds{}, false
	}
	locs := oi.GetPageLocations()
	nulls := ci.GetNullPages()
	if len(locs) == 0 || len(nulls) != len(locs) || locs[0].FirstRowIndex != 0 {
		return pageBounds{}, false
	}
	counts := ci.GetNullCounts()
	hasCounts := ci.IsSetNullCounts() && len(counts) == len(locs)
	target := s.ro.Table.Fields[c].Type
	pb := pageBounds{col: c, starts: make([]int64, len(locs)), bounds: make([]bounds, len(locs))}
	for i, loc := range locs {
		end := rgm.NumRows()
		if i+1 < len(locs) {
			end = locs[i+1].FirstRowIndex
		}
		if end <= loc.FirstRowIndex || (i > 0 && loc.FirstRowIndex <= locs[i-1].FirstRowIndex) {
			return pageBounds{}, false
		}
		b := bounds{rows: end - loc.FirstRowIndex}
		switch {
		case nulls[i]:
			b.nulls, b.hasNulls = b.rows, true
		case hasCounts:
			b.nulls, b.hasNulls = counts[i], true
		}
		if !nulls[i] {
			if lo, hi, ok := pageValues(ci, i, sf.Field.Type); ok {
				if b.min, ok = convertValue(lo, target, false); ok {
					b.max, b.hasMinMax = convertValue(hi, target, false)
				}
			}
		}
		pb.starts[i], pb.bounds[i] = loc.FirstRowIndex, b
	}
	return pb, true
}

// pageValues decodes page i's min and max as statValues does a row
// group's.
func pageValues(ci metadata.ColumnIndex, i int, ft arrow.DataType) (lo, hi types.Value, ok bool) {
	switch x := ci.(type) {
	case *metadata.TypedColumnIndex[bool]:
		return types.BoolValue(x.MinValues()[i]), types.BoolValue(x.MaxValues()[i]), ft.ID() == arrow.BOOL
	case *metadata.TypedColumnIndex[int32]:
		return int32Stats(int64(x.MinValues()[i]), int64(x.MaxValues()[i]), ft)
	case *metadata.TypedColumnIndex[int64]:
		return int64Stats(x.MinValues()[i], x.MaxValues()[i], ft)
	case *metadata.TypedColumnIndex[float32]:
		return floatValue(float64(x.MinValues()[i]), types.Float32Type), floatValue(float64(x.MaxValues()[i]), types.Float32Type), ft.ID() == arrow.FLOAT32
	case *metadata.TypedColumnIndex[float64]:
		return floatValue(x.MinValues()[i], types.Float64Type), floatValue(x.MaxValues()[i], types.Float64Type), ft.ID() == arrow.FLOAT64
	case *metadata.TypedColumnIndex[parquet.ByteArray]:
		return bytesStats(x.MinValues()[i], x.MaxValues()[i], ft)
	case *metadata.TypedColumnIndex[parquet.FixedLenByteArray]:
		return bytesStats(x.MinValues()[i], x.MaxValues()[i], ft)
	}
	return lo, hi, false
}
