package parquetfmt_test

import (
	"os"
	"testing"

	"github.com/drover-etl/drover/format/csv/formattest"
)

// FuzzParquetReader reads arbitrary bytes as a Parquet file. The seeds
// are real files (testdata/fuzz/FuzzParquetReader and one written here
// with every type), so mutations reach the footer, page headers and
// encodings rather than failing on the magic bytes.
func FuzzParquetReader(fz *testing.F) {
	fz.Add(allTypesFile(fz))
	fz.Add([]byte("PAR1PAR1"))
	fz.Fuzz(func(t *testing.T, data []byte) {
		formattest.FuzzRead(t, f, data, nil)
	})
}

func allTypesFile(fz *testing.F) []byte {
	path := fz.TempDir() + "/all.parquet"
	rec := formattest.AllTypes()
	defer rec.Release()
	formattest.Write(fz, f, path, rec.Schema(), map[string]string{"row_group_rows": "2"}, rec)
	b, err := os.ReadFile(path)
	if err != nil {
		fz.Fatal(err)
	}
	return b
}
