package parquetfmt

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/types"
)

// Infer reads the schema from the footer. Columns of types Drover does
// not have (lists, structs, maps, ...) are left out: they could not be
// referenced anyway, and the rest of the file stays readable.
func (Format) Infer(ctx context.Context, file storage.Location, _ map[string]string) (*types.Schema, error) {
	pf, err := openFile(ctx, file.URL())
	if err != nil {
		return nil, err
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf.rdr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		return nil, corrupt(pf.url, err)
	}
	out := &types.Schema{}
	for _, sf := range fr.Manifest.Fields {
		if !sf.IsLeaf() {
			continue
		}
		t, err := types.FromArrow(sf.Field.Type)
		if err != nil || t.ID == types.Null {
			continue
		}
		out.Fields = append(out.Fields, types.Field{Name: sf.Field.Name, Type: t, Nullable: sf.Field.Nullable})
	}
	return out, nil
}
