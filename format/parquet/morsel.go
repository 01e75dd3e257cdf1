package parquetfmt

import (
	"sync/atomic"

	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
)

// unit is one piece of decoding work: rows [from, to) of the plan's
// row group rowGroups[rg], counted from the row group's first row.
//
// A row group is the natural unit, but writers other than Drover's make
// them large (DuckDB and Spark: 1 M rows or 128 MB), and a row group as
// the unit of work leaves cores idle when a split holds fewer row groups
// than there are workers. Such row groups are cut into morsels of about
// morselRows rows that the workers decode independently: each seeks its
// column readers to its first row, which the offset index (page
// locations) makes cheap. Without an offset index a seek would read and
// decompress every page before the row, so a row group is then cut only
// when the split's row groups cannot keep the workers busy and only one
// column is read, into no more morsels than there are workers; several
// columns are decoded in parallel (plan.parallel: the own decoder's
// columns) instead, which measured as fast as morsels on 1 M-row groups
// and costs no seeks.
type unit struct {
	rg       int
	from, to int64
}

func (u unit) rows() int64 { return u.to - u.from }

// defaultMorselRows is the morsel length: close to the row groups
// Drover writes (122,880 rows), whose decode cost per row is the floor.
const defaultMorselRows = 128 * 1024

// morselPolicy says how row groups are cut.
type morselPolicy struct {
	rows    int64 // target morsel length; 0: never cut
	workers int   // decode goroutines of the reader
}

// pagesPerMorsel is the fewest pages of its longest-paged column a
// morsel spans. A seek lands inside a page of every column, which is then
// decompressed (and partly decoded) by both morsels that share it; with
// the 1 MB pages writers make by default a page can hold most of a row
// group (700 k dictionary indices), and morsels cut finer than their
// pages cost more CPU than they save (measured: +60% CPU at 128 k-row
// morsels over 700 k-row pages). Tests set 0 to cut regardless.
var pagesPerMorsel atomic.Int64

func init() { pagesPerMorsel.Store(4) }

// planUnits cuts the plan's row groups (each limited to ranges[i] when
// the split names a row range, and to the pages sel keeps) into units.
// pageRows gives the longest page (in rows) among the plan's leaves in a
// row group, from the offset index (0: unknown).
func (p *plan) planUnits(md *metadata.FileMetaData, ranges []rowRange, mp morselPolicy, sel *pageSelector, pageRows func(rg int) int64) {
	p.units = p.units[:0]
	if mp.rows > 0 && p.batchRows > 0 {
		// Morsels of whole batches: a morsel's last batch then ends at
		// its end and no rows are decoded twice.
		mp.rows = max(1, (mp.rows+int64(p.batchRows)/2)/int64(p.batchRows)) * int64(p.batchRows)
	}
	for i, rg := range p.rowGroups {
		indexed := p.hasOffsetIndex(md.RowGroup(rg))
		kept := []rowRange{ranges[i]}
		if indexed && len(p.leaves) > 0 {
			// Skipping pages needs seeks, which need the offset index.
			kept = sel.selectRows(rg, ranges[i])
		}
		morsel := mp.rows
		if indexed && morsel > 0 && pageRows != nil {
			morsel = max(morsel, pagesPerMorsel.Load()*pageRows(rg))
		}
		for _, r := range kept {
			n := r.rows()
			k := int64(1)
			if morsel > 0 && n >= 2*morsel && len(p.leaves) > 0 {
				k = (n + morsel - 1) / morsel
				if !indexed {
					// Blind seeks: only to keep idle workers busy, and only
					// for one column (several are decoded in parallel
					// instead, at no extra cost).
					if len(p.rowGroups) >= mp.workers || len(p.leaves) > 1 {
						k = 1
					} else {
						k = min(k, int64(mp.workers))
					}
				}
			}
			prev := r.from
			for j := int64(1); j <= k; j++ {
				// Inner boundaries fall on whole batches (see above).
				next := r.to
				if j < k {
					next = r.from + alignDown(n*j/k, int64(p.batchRows))
				}
				if next > prev {
					p.units = append(p.units, unit{rg: i, from: prev, to: next})
					prev = next
				}
			}
		}
	}
}

func alignDown(n, a int64) int64 { return n / a * a }

// longestPage returns, for a row group, the most rows a page of one of
// leaves holds according to the offset index (0 when it cannot tell).
func longestPage(rdr *file.Reader, leaves []int) func(rg int) int64 {
	return func(rg int) (most int64) {
		defer func() {
			if recover() != nil {
				most = 0
			}
		}()
		pir, err := rdr.GetPageIndexReader().RowGroup(rg)
		if err != nil || pir == nil {
			return 0
		}
		rows := rdr.MetaData().RowGroup(rg).NumRows()
		for _, leaf := range leaves {
			oi, err := pir.GetOffsetIndex(leaf)
			if err != nil || oi == nil {
				return 0
			}
			locs := oi.GetPageLocations()
			for i, l := range locs {
				end := rows
				if i+1 < len(locs) {
					end = locs[i+1].FirstRowIndex
				}
				most = max(most, end-l.FirstRowIndex)
			}
		}
		return most
	}
}

// hasOffsetIndex reports whether every leaf the plan reads has an offset
// index in rg.
func (p *plan) hasOffsetIndex(rg *metadata.RowGroupMetaData) bool {
	for _, leaf := range p.leaves {
		if _, ok := rg.OffsetIndexLocation(leaf); !ok {
			return false
		}
	}
	return true
}

// partial reports whether some unit is less than its whole row group:
// its readers then seek, and the file is read through buffered streams
// (a seek otherwise first reads the whole column chunk).
func (p *plan) partial(md *metadata.FileMetaData) bool {
	for _, u := range p.units {
		if u.from > 0 || u.to < md.RowGroup(p.rowGroups[u.rg]).NumRows() {
			return true
		}
	}
	return false
}

// largeRowGroups reports whether some row group of the plan is at least
// two default morsels long.
func (p *plan) largeRowGroups(md *metadata.FileMetaData) bool {
	for _, rg := range p.rowGroups {
		if md.RowGroup(rg).NumRows() >= 2*defaultMorselRows {
			return true
		}
	}
	return false
}

// rowRange is rows [from, to) of a row group.
type rowRange struct{ from, to int64 }

func (r rowRange) rows() int64 { return r.to - r.from }
