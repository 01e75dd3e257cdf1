package parquetfmt

import (
	"context"
	"io"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"

	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format"
)

// Open reads the split's row groups that survive pruning.
func (Format) Open(ctx context.Context, split format.Split, ro format.ReadOptions) (batch.Reader, error) {
	pf, err := openFile(ctx, split.URL)
	if err != nil {
		return nil, err
	}
	p, fr, err := preparePlan(pf, split, ro)
	if err != nil {
		pf.Close()
		return nil, err
	}
	return newReader(ctx, pf, fr, p, ro.Pool, ro.Runtime != nil), nil
}

// preparePlan maps columns, prunes row groups, picks dictionary columns
// and opens the Arrow reader with the resulting properties.
func preparePlan(pf *pfile, split format.Split, ro format.ReadOptions) (*plan, *pqarrow.FileReader, error) {
	probe, err := pqarrow.NewFileReader(pf.rdr, pqarrow.ArrowReadProperties{}, mem)
	if err != nil {
		return nil, nil, corrupt(pf.url, err)
	}
	fc := newFileColumns(probe.Manifest)
	p, err := newPlan(pf.url, fc, ro)
	if err != nil {
		return nil, nil, err
	}
	md := pf.rdr.MetaData()
	candidates, ranges, err := splitRowGroups(split, md)
	if err != nil {
		return nil, nil, corrupt(pf.url, err)
	}
	var buffered *file.Reader // opened on first need
	openBuffered := func() (*file.Reader, error) {
		if buffered == nil {
			buffered, err = file.NewParquetReader(io.NewSectionReader(pf.f, 0, pf.f.Size()),
				file.WithReadProps(bufferedProps()), file.WithMetadata(md))
		}
		return buffered, err
	}
	var dicts *dictionaries
	if dictionarySetting.Load() && asksStringValues(ro.Filters) {
		rdr, err := openBuffered()
		if err != nil {
			return nil, nil, corrupt(pf.url, err)
		}
		dicts = &dictionaries{rdr: rdr}
	}
	p.rowGroups, ranges = pruneRowGroups(md, candidates, ranges, ro, fc, dicts)
	p.rowStart = rowStarts(md, p.rowGroups)
	p.chooseDictionaries(md)
	p.chooseDirectDecimals(md)
	p.outputSchema()
	p.late = newLatePlan(p, ro)
	workers := decodeWorkers()
	var sel *pageSelector
	if pageIndexSetting.Load() {
		sel = newPageSelector(pf.rdr, ro, fc)
	}
	p.planUnits(md, ranges, morselPolicy{rows: morselRowsSetting.Load(), workers: workers}, sel,
		longestPage(pf.rdr, p.leaves))
	// Too few units for the workers: decode each unit's columns in
	// parallel instead (the own decoder's columns: see plan.parallel).
	p.parallel = len(p.units) < workers && len(p.leaves) > 1
	rdr := pf.rdr
	if p.partial(md) || p.largeRowGroups(md) {
		// Seeking readers read the column chunks through buffered
		// streams: otherwise each would first read its whole chunk.
		// Large row groups too: a whole compressed chunk per column
		// in flight is what a 1 M-row group costs in memory (Q1 on
		// 1 M-row groups: peak RSS 440 → 355 MiB, CPU no higher).
		rdr, err = openBuffered()
		if err != nil {
			return nil, nil, corrupt(pf.url, err)
		}
		p.buffered = true
	}
	fr, err := pqarrow.NewFileReader(rdr, p.props, mem)
	if err != nil {
		return nil, nil, corrupt(pf.url, err)
	}
	p.readDirectDecimals(fr)
	p.choosePageDecoders(fr)
	return p, fr, nil
}

// seekBufferBytes is the buffer of a buffered column stream: it holds
// page headers (page bodies larger than it are read past it). Each
// morsel's column readers allocate two, so it is kept small: at 1 MiB,
// zeroing them cost a third of a 1 M-row group's decode.
const seekBufferBytes = 64 << 10

func bufferedProps() *parquet.ReaderProperties {
	props := parquet.NewReaderProperties(mem)
	props.BufferedStreamEnabled = true
	props.BufferSize = seekBufferBytes
	return props
}

// morselRowsSetting is the morsel length (0: row groups are never cut);
// tests change it to compare answers with and without morsels.
var morselRowsSetting atomic.Int64

// pageIndexSetting and dictionarySetting turn pruning by the page index
// and by dictionaries on (tests compare answers with them off).
var pageIndexSetting, dictionarySetting atomic.Bool

func init() {
	morselRowsSetting.Store(defaultMorselRows)
	pageIndexSetting.Store(true)
	dictionarySetting.Store(true)
}

// asksStringValues reports whether some filter, at any depth, asks a
// column for string values (dictionary pruning can apply).
func asksStringValues(filters []*expr.Expr) bool {
	found := false
	for _, f := range filters {
		expr.Walk(f, func(e *expr.Expr) bool {
			if _, _, ok := dictWanted(e); ok {
				found = true
			}
			return !found
		})
	}
	return found
}
