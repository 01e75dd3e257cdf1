package parquetfmt

import (
	"context"

	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/drover-etl/drover/batch"
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
	return newReader(ctx, pf, fr, p), nil
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
	candidates, err := splitRowGroups(split, md.NumRowGroups())
	if err != nil {
		return nil, nil, corrupt(pf.url, err)
	}
	p.rowGroups = pruneRowGroups(md, candidates, ro, fc)
	p.rowStart = rowStarts(md, p.rowGroups)
	p.chooseDictionaries(md)
	p.outputSchema()
	p.props.Parallel = len(p.rowGroups) == 1 && len(p.leaves) > 1
	fr, err := pqarrow.NewFileReader(pf.rdr, p.props, mem)
	if err != nil {
		return nil, nil, corrupt(pf.url, err)
	}
	return p, fr, nil
}
