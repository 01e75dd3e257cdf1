package parquetfmt

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// toString produces utf8 or dictionary<int32, utf8>. Parquet BYTE_ARRAY
// columns without a UTF8 annotation come as binary: same layout, so they
// are relabeled rather than copied.
func toString(arr arrow.Array, out arrow.DataType) (arrow.Array, int, error) {
	switch a := arr.(type) {
	case *array.Binary:
		if out.ID() == arrow.STRING {
			return retype(arr, out), 0, nil
		}
	case *array.Dictionary:
		if out.ID() == arrow.DICTIONARY && a.Indices().DataType().ID() == arrow.INT32 && a.Dictionary().DataType().ID() == arrow.BINARY {
			values := retype(a.Dictionary(), arrow.BinaryTypes.String)
			defer values.Release()
			return array.NewDictionaryArray(out, a.Indices(), values), 0, nil
		}
	}
	if out.ID() == arrow.DICTIONARY {
		return nil, 0, fmt.Errorf("cannot read %s as dictionary strings", arr.DataType())
	}
	return castFallback(arr, out)
}
