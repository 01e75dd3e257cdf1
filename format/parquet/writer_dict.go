package parquetfmt

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/parquet"
)

// Dictionary encoding pays when values repeat; on columns of mostly
// distinct values (keys, prices, comments) the writer hashes every value
// into a dictionary only to fall back to plain pages when it outgrows its
// limit — pure cost (the largest part of writing a sorted orders table).
// So the first batch of a file is sampled: a column whose sample is
// almost all distinct values is written plain.
const (
	dictSampleRows  = 4096 // rows sampled per column, evenly spread
	dictMinSample   = 256  // smaller first batches keep the default
	dictMaxDistinct = 0.9  // share of distinct sampled values above which a column is written plain
)

// dictionaryChoices turns dictionary encoding off for the columns of rec
// (in the stored types) that look high-cardinality.
func dictionaryChoices(rec arrow.RecordBatch) []parquet.WriterProperty {
	n := int(rec.NumRows())
	if n < dictMinSample {
		return nil
	}
	var opts []parquet.WriterProperty
	for i, c := range rec.Columns() {
		if mostlyDistinct(c) {
			opts = append(opts, parquet.WithDictionaryPath(parquet.ColumnPath{rec.Schema().Field(i).Name}, false))
		}
	}
	return opts
}

// mostlyDistinct samples c and reports whether nearly every sampled value
// differs. Only flat column types are judged; others keep the default.
func mostlyDistinct(c arrow.Array) bool {
	n := c.Len()
	stride := max(n/dictSampleRows, 1)
	sampled, distinct := 0, 0
	seen := map[string]struct{}{}
	key := keyFunc(c)
	if key == nil {
		return false
	}
	var buf []byte
	for i := 0; i < n && sampled < dictSampleRows; i += stride {
		if c.IsNull(i) {
			continue
		}
		sampled++
		buf = key(buf[:0], i)
		if _, ok := seen[string(buf)]; !ok {
			seen[string(buf)] = struct{}{}
			distinct++
		}
	}
	return sampled >= dictMinSample && float64(distinct) > dictMaxDistinct*float64(sampled)
}

// keyFunc appends row i's value as bytes, or is nil for types the writer
// does not dictionary-encode or that this does not judge.
func keyFunc(c arrow.Array) func([]byte, int) []byte {
	switch a := c.(type) {
	case *array.String:
		return func(b []byte, i int) []byte { return append(b, a.Value(i)...) }
	case *array.Binary:
		return func(b []byte, i int) []byte { return append(b, a.Value(i)...) }
	}
	fw, ok := c.DataType().(arrow.FixedWidthDataType)
	if !ok || fw.BitWidth() < 8 || c.Data().Buffers()[1] == nil {
		return nil
	}
	width := fw.BitWidth() / 8
	raw := c.Data().Buffers()[1].Bytes()
	off := c.Data().Offset()
	return func(b []byte, i int) []byte {
		at := (off + i) * width
		return append(b, raw[at:at+width]...)
	}
}
