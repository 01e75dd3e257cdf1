package parquetfmt_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/drover-etl/drover/format/csv/formattest"
)

// FuzzParquetReader reads arbitrary bytes as a Parquet file. The seeds
// are real files (testdata/fuzz/FuzzParquetReader and one written here
// with every type, and the same without dictionaries, v2 pages), so mutations reach the footer, page headers and
// encodings rather than failing on the magic bytes.
func FuzzParquetReader(fz *testing.F) {
	fz.Add(allTypesFile(fz))
	fz.Add(allTypesPlainFile(fz))
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

// allTypesPlainFile is every type written by pqarrow without
// dictionaries, in v2 pages: PLAIN strings and booleans for the own page
// decoder.
func allTypesPlainFile(fz *testing.F) []byte {
	rec := formattest.AllTypes()
	defer rec.Release()
	var b bytes.Buffer
	props := parquet.NewWriterProperties(parquet.WithDictionaryDefault(false), parquet.WithMaxRowGroupLength(2),
		parquet.WithDataPageVersion(parquet.DataPageV2), parquet.WithCompression(compress.Codecs.Uncompressed))
	fw, err := pqarrow.NewFileWriter(rec.Schema(), &b, props, pqarrow.DefaultWriterProps())
	if err != nil {
		fz.Fatal(err)
	}
	if err := fw.Write(rec); err != nil {
		fz.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		fz.Fatal(err)
	}
	return b.Bytes()
}
