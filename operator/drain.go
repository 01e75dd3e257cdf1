package operator

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

func releaseRecs(recs []arrow.RecordBatch) {
	for _, r := range recs {
		r.Release()
	}
}

// concatRecords concatenates batches column by column (dictionaries
// unpacked, since batches may carry different dictionaries).
func concatRecords(schema *arrow.Schema, recs []arrow.RecordBatch) ([]arrow.Array, int, error) {
	cols := make([]arrow.Array, schema.NumFields())
	n := 0
	for _, r := range recs {
		n += int(r.NumRows())
	}
	for c := range cols {
		parts := make([]arrow.Array, 0, len(recs))
		for _, r := range recs {
			p, err := plain(r.Column(c))
			if err != nil {
				releaseAll(parts)
				releaseAll(cols[:c])
				return nil, 0, err
			}
			parts = append(parts, p)
		}
		var err error
		if len(parts) == 0 {
			cols[c] = array.MakeArrayOfNull(mem, schema.Field(c).Type, 0)
		} else {
			cols[c], err = array.Concatenate(parts, mem)
		}
		releaseAll(parts)
		if err != nil {
			releaseAll(cols[:c])
			return nil, 0, err
		}
	}
	return cols, n, nil
}

func schemaOf(cols []arrow.Array) *arrow.Schema {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: fieldName(i), Type: c.DataType(), Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}
