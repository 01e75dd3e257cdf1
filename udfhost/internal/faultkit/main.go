package main

import (
	"context"
	"errors"
	"log"
	"os"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/udf"
)

func main() {
	log.SetPrefix("faultkit: ")
	log.SetFlags(0)
	udf.Serve(&udf.Plugin{
		Scalars: map[string]udf.Scalar{
			"crash":     udf.StringFunc("crashes on magic values", crash),
			"hang":      udf.StringFunc("hangs on \"hang\"", hang),
			"wrongtype": &misfit{wrongType: true},
			"short":     &misfit{},
			"badutf8":   udf.StringFunc("appends a byte that is not UTF-8", func(s string) string { return s + "\xff" }),
			"getenv":    udf.StringFunc("the value of the environment variable named, or <unset>", getenv),
		},
		Transforms: map[string]udf.Transform{
			"pass":      &udf.MapTransform{Schema: same, Map: pass},
			"badschema": &udf.MapTransform{Schema: same, Map: extraColumn},
			"breakutf8": &udf.MapTransform{Schema: same, Map: breakStrings},
		},
	})
}

func crash(s string) string {
	switch {
	case s == "crash":
		log.Printf("crashing on purpose on %q", s)
		os.Exit(3)
	case s == "panic":
		panic("faultkit: panic on purpose")
	case strings.HasPrefix(s, "crash-once:"):
		marker := strings.TrimPrefix(s, "crash-once:")
		if _, err := os.Stat(marker); errors.Is(err, os.ErrNotExist) {
			os.WriteFile(marker, nil, 0o644)
			log.Printf("crashing once on purpose (marker %s)", marker)
			os.Exit(3)
		}
	}
	return s
}

func hang(s string) string {
	if s == "hang" {
		log.Printf("hanging on purpose")
		select {}
	}
	return s
}

// misfit breaks the result contract.
type misfit struct{ wrongType bool }

func (m *misfit) ResultType([]arrow.DataType) (arrow.DataType, error) {
	return arrow.BinaryTypes.String, nil
}

func (m *misfit) Call(_ context.Context, args []arrow.Array, rows int) (arrow.Array, error) {
	if m.wrongType {
		b := array.NewInt64Builder(memory.DefaultAllocator)
		defer b.Release()
		b.AppendValues(make([]int64, rows), nil)
		return b.NewArray(), nil
	}
	return array.NewSlice(args[0], 0, int64(max(rows-1, 0))), nil
}

func same(in *arrow.Schema, _ map[string]string) (*arrow.Schema, error) { return in, nil }

func pass(_ context.Context, rec arrow.RecordBatch, _ map[string]string) (arrow.RecordBatch, error) {
	for _, col := range rec.Columns() {
		if s, ok := col.(*array.String); ok {
			for i := 0; i < s.Len(); i++ {
				hang(crash(s.Value(i)))
			}
		}
	}
	rec.Retain()
	return rec, nil
}

func extraColumn(_ context.Context, rec arrow.RecordBatch, _ map[string]string) (arrow.RecordBatch, error) {
	b := array.NewInt64Builder(memory.DefaultAllocator)
	defer b.Release()
	b.AppendValues(make([]int64, rec.NumRows()), nil)
	extra := b.NewArray()
	defer extra.Release()
	fields := append(rec.Schema().Fields(), arrow.Field{Name: "extra", Type: arrow.PrimitiveTypes.Int64})
	cols := append(append([]arrow.Array(nil), rec.Columns()...), extra)
	return array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, rec.NumRows()), nil
}

func getenv(name string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return "<unset>"
}

// breakStrings appends a byte that is not UTF-8 to every string.
func breakStrings(_ context.Context, rec arrow.RecordBatch, _ map[string]string) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, rec.NumCols())
	for i, col := range rec.Columns() {
		s, ok := col.(*array.String)
		if !ok {
			col.Retain()
			cols[i] = col
			continue
		}
		b := array.NewStringBuilder(memory.DefaultAllocator)
		for j := 0; j < s.Len(); j++ {
			b.Append(s.Value(j) + "\xff")
		}
		cols[i] = b.NewArray()
		b.Release()
	}
	out := array.NewRecordBatch(rec.Schema(), cols, rec.NumRows())
	for _, c := range cols {
		c.Release()
	}
	return out, nil
}
