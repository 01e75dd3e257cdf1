package parquetfmt_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
	parquetfmt "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/types"
)

// pageDecSchema is the file of TestPageDecoderSameBatches: k is the row
// number (the filter column); the others are the fixed-width payload
// types the own decoder reads, nullable (max definition level 1) and
// required (0), with few distinct values (dictionary pages) or many
// (the dictionary outgrows its limit and the chunk falls back to PLAIN).
func pageDecSchema() *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{
		{Name: "k", Type: arrow.PrimitiveTypes.Int64},
		{Name: "i32", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "i64", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "f32", Type: arrow.PrimitiveTypes.Float32, Nullable: true},
		{Name: "f64", Type: arrow.PrimitiveTypes.Float64},
		{Name: "d32", Type: &arrow.Decimal128Type{Precision: 9, Scale: 2}, Nullable: true},
		{Name: "d64", Type: &arrow.Decimal128Type{Precision: 15, Scale: 2}},
		{Name: "day", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "wide", Type: arrow.PrimitiveTypes.Int64, Nullable: true}, // many values: dictionary fallback
		{Name: "sparse", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "flag", Type: arrow.BinaryTypes.String, Nullable: true}, // dictionary strings
		{Name: "note", Type: arrow.BinaryTypes.String},                 // falls back to PLAIN
		{Name: "ts", Type: &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}, Nullable: true},
		{Name: "txt", Type: arrow.BinaryTypes.String, Nullable: true},                       // unique strings: PLAIN, NULLs, invalid UTF-8
		{Name: "bin", Type: arrow.BinaryTypes.Binary, Nullable: true},                       // binary: dictionary, or PLAIN without
		{Name: "code", Type: arrow.BinaryTypes.String},                                      // dictionary, PLAIN from the second row group on
		{Name: "ok", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},                   // PLAIN (bit-packed)
		{Name: "okr", Type: arrow.FixedWidthTypes.Boolean},                                  // RLE, in runs
		{Name: "big", Type: &arrow.Decimal128Type{Precision: 25, Scale: 3}, Nullable: true}, // FIXED_LEN_BYTE_ARRAY(11), falls back to PLAIN
		{Name: "huge", Type: &arrow.Decimal128Type{Precision: 38, Scale: 0}},                // FIXED_LEN_BYTE_ARRAY(16)
	}, nil)
}

// pageDecTable reads the file; d64 rescales (not only widens), so it
// goes through the raw integers and the reader's conversion.
var pageDecTable = types.NewSchema(
	types.Field{Name: "k", Type: types.Int64Type},
	types.Field{Name: "i32", Type: types.Int32Type, Nullable: true},
	types.Field{Name: "i64", Type: types.Int64Type, Nullable: true},
	types.Field{Name: "f32", Type: types.Float32Type, Nullable: true},
	types.Field{Name: "f64", Type: types.Float64Type},
	types.Field{Name: "d32", Type: types.DecimalOf(9, 2), Nullable: true},
	types.Field{Name: "d64", Type: types.DecimalOf(18, 3)},
	types.Field{Name: "day", Type: types.DateType, Nullable: true},
	types.Field{Name: "wide", Type: types.Int64Type, Nullable: true},
	types.Field{Name: "sparse", Type: types.Int64Type, Nullable: true}, // widened from INT32
	types.Field{Name: "flag", Type: types.StringType, Nullable: true},
	types.Field{Name: "note", Type: types.StringType},
	types.Field{Name: "ts", Type: types.TimestampType, Nullable: true}, // ms in the file: converted
	types.Field{Name: "txt", Type: types.StringType, Nullable: true},
	types.Field{Name: "bin", Type: types.StringType, Nullable: true}, // binary relabeled
	types.Field{Name: "code", Type: types.StringType},
	types.Field{Name: "ok", Type: types.BoolType, Nullable: true},
	types.Field{Name: "okr", Type: types.BoolType},
	types.Field{Name: "big", Type: types.DecimalOf(27, 4), Nullable: true}, // rescaled
	types.Field{Name: "huge", Type: types.DecimalOf(38, 0)},
)

func pageDecRecord(rows int, seed uint64) arrow.RecordBatch {
	rng := rand.New(rand.NewPCG(seed, 7))
	b := array.NewRecordBuilder(memory.DefaultAllocator, pageDecSchema())
	defer b.Release()
	null := func(p float64) bool { return rng.Float64() < p }
	for i := range rows {
		b.Field(0).(*array.Int64Builder).Append(int64(i))
		if null(0.1) {
			b.Field(1).AppendNull()
		} else {
			b.Field(1).(*array.Int32Builder).Append(int32(rng.IntN(50)) - 25)
		}
		if null(0.3) {
			b.Field(2).AppendNull()
		} else {
			b.Field(2).(*array.Int64Builder).Append(rng.Int64N(1<<40) - 1<<39)
		}
		if null(0.05) {
			b.Field(3).AppendNull()
		} else {
			b.Field(3).(*array.Float32Builder).Append(float32(rng.IntN(300)) / 4)
		}
		b.Field(4).(*array.Float64Builder).Append(rng.NormFloat64())
		if null(0.5) {
			b.Field(5).AppendNull()
		} else {
			b.Field(5).(*array.Decimal128Builder).Append(decimal128.FromI64(rng.Int64N(2_000_000) - 1_000_000))
		}
		b.Field(6).(*array.Decimal128Builder).Append(decimal128.FromI64(rng.Int64N(10_000) * 100))
		if null(0.02) {
			b.Field(7).AppendNull()
		} else {
			b.Field(7).(*array.Date32Builder).Append(arrow.Date32(8000 + rng.IntN(2500)))
		}
		if null(0.01) {
			b.Field(8).AppendNull()
		} else if i < rows/3 {
			b.Field(8).(*array.Int64Builder).Append(int64(rng.IntN(20)))
		} else {
			b.Field(8).(*array.Int64Builder).Append(rng.Int64())
		}
		if i%1000 < 900 {
			b.Field(9).AppendNull() // long NULL runs
		} else {
			b.Field(9).(*array.Int32Builder).Append(int32(i))
		}
		if null(0.2) {
			b.Field(10).AppendNull()
		} else {
			b.Field(10).(*array.StringBuilder).Append([]string{"A", "N", "R", "", "longer flag"}[rng.IntN(5)])
		}
		if i < rows/2 {
			b.Field(11).(*array.StringBuilder).Append(fmt.Sprint("n", rng.IntN(3)))
		} else {
			b.Field(11).(*array.StringBuilder).Append(fmt.Sprint("note ", rng.Int64()))
		}
		if null(0.1) {
			b.Field(12).AppendNull()
		} else {
			b.Field(12).(*array.TimestampBuilder).Append(arrow.Timestamp(1_600_000_000_000 + rng.Int64N(1_000_000)))
		}
		switch x := rng.IntN(20); {
		case x < 3:
			b.Field(13).AppendNull()
		case x < 5:
			b.Field(13).(*array.StringBuilder).Append("")
		case x == 5:
			b.Field(13).(*array.StringBuilder).BinaryBuilder.Append([]byte{'b', 0xff, 0xfe, 'x'}) // not UTF-8
		case x == 6:
			b.Field(13).(*array.StringBuilder).Append(strings.Repeat("long text ", 30+rng.IntN(50)))
		default:
			b.Field(13).(*array.StringBuilder).Append(fmt.Sprint("comment ", rng.Int64(), " é"))
		}
		if null(0.3) {
			b.Field(14).AppendNull()
		} else {
			b.Field(14).(*array.BinaryBuilder).Append([]byte{byte(rng.IntN(7)), 0, 0xC0})
		}
		if i < 7_000 {
			b.Field(15).(*array.StringBuilder).Append([]string{"AIR", "MAIL", "SHIP", "TRUCK"}[rng.IntN(4)])
		} else {
			b.Field(15).(*array.StringBuilder).Append(fmt.Sprint("code-", i%3000))
		}
		if null(0.15) {
			b.Field(16).AppendNull()
		} else {
			b.Field(16).(*array.BooleanBuilder).Append(rng.IntN(3) == 0)
		}
		b.Field(17).(*array.BooleanBuilder).Append((i/50)%3 == 0 || rng.IntN(40) == 0)
		switch {
		case null(0.1):
			b.Field(18).AppendNull()
		case i < rows/3:
			b.Field(18).(*array.Decimal128Builder).Append(decimal128.FromI64(int64(rng.IntN(9)) - 4))
		default:
			b.Field(18).(*array.Decimal128Builder).Append(decimal128.New(rng.Int64N(1<<20)-1<<19, rng.Uint64()))
		}
		huge := decimal128.New(rng.Int64N(1<<62)-1<<61, rng.Uint64()) // |x| < 2^125 < 10^38
		if i%7 == 0 {
			huge = decimal128.FromI64(-int64(i))
		}
		b.Field(19).(*array.Decimal128Builder).Append(huge)
	}
	return b.NewRecordBatch()
}

type pageDecLayout struct {
	v2, dict, index bool
	rowGroup        int64
}

func (l pageDecLayout) String() string {
	return fmt.Sprintf("v2=%t/dict=%t/index=%t/rg%d", l.v2, l.dict, l.index, l.rowGroup)
}

func writePageDec(t *testing.T, rows int, l pageDecLayout) string {
	t.Helper()
	return writePageDecWith(t, t.TempDir(), rows, l, compress.Codecs.Snappy)
}

func writePageDecWith(t *testing.T, dir string, rows int, l pageDecLayout, codec compress.Compression) string {
	t.Helper()
	path := dir + "/pagedec.parquet"
	rec := pageDecRecord(rows, uint64(rows)+uint64(l.rowGroup))
	defer rec.Release()
	version := parquet.DataPageV1
	if l.v2 {
		version = parquet.DataPageV2
	}
	props := parquet.NewWriterProperties(
		parquet.WithAllocator(memory.DefaultAllocator),
		parquet.WithCompression(codec),
		parquet.WithMaxRowGroupLength(l.rowGroup),
		parquet.WithDataPageSize(1024),
		parquet.WithBatchSize(300),
		parquet.WithDictionaryDefault(l.dict),
		parquet.WithDictionaryPageSizeLimit(2048),
		parquet.WithDataPageVersion(version),
		parquet.WithPageIndexEnabled(l.index),
		parquet.WithStats(true),
		parquet.WithStoreDecimalAsInteger(true),
		parquet.WithEncodingFor("okr", parquet.Encodings.RLE),
		parquet.WithDictionaryFor("okr", false),
	)
	w := formattestCreate(t, path)
	fw, err := pqarrow.NewFileWriter(rec.Schema(), w, props, pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := fw.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestPageDecoderSameBatches reads files of many layouts (pages v1 and
// v2, dictionary on, off and falling back to PLAIN, page index on and
// off, several row groups, many small pages) with late materialization,
// with and without the own page decoder, and requires identical batches:
// dense, sparse, run-shaped, empty and full selections, morsels, odd
// batch sizes and row-range splits.
func TestPageDecoderSameBatches(t *testing.T) {
	defer parquetfmt.SetMinPieceRows(1000)()
	const rows = 20_000
	k := expr.BoundCol(0, pageDecTable.Fields[0])
	mod := func(m int64) *expr.Expr {
		e := expr.Call(expr.FnMod, k, i64(m))
		e.Type = types.Int64Type
		return e
	}
	filters := map[string][]*expr.Expr{
		"no filter": nil, // no late materialization: whole units
		"all":       {call(expr.FnGe, k, i64(0))},
		"none":      {call(expr.FnLt, k, i64(0))},
		"k%13=0":    {call(expr.FnEq, mod(13), i64(0))},
		"k%3!=0":    {call(expr.FnNe, mod(3), i64(0))},
		"runs":      {call(expr.FnOr, call(expr.FnAnd, call(expr.FnGe, k, i64(2_500)), call(expr.FnLt, k, i64(2_600))), call(expr.FnGe, k, i64(19_990)))},
		"k%2000<5":  {call(expr.FnLt, mod(2000), i64(5))},
		// NULLs, decimals and dictionary strings on the filter side.
		"d32>0|flag=A": {call(expr.FnOr,
			call(expr.FnGt, expr.BoundCol(5, pageDecTable.Fields[5]), lit(types.DecimalValue(decimal128.FromI64(0), 9, 2))),
			call(expr.FnEq, expr.BoundCol(10, pageDecTable.Fields[10]), lit(types.StringValue("A"))))},
		// PLAIN strings on the filter side.
		"txt<comment 5|code=AIR": {call(expr.FnOr,
			call(expr.FnLt, expr.BoundCol(13, pageDecTable.Fields[13]), lit(types.StringValue("comment 5"))),
			call(expr.FnEq, expr.BoundCol(15, pageDecTable.Fields[15]), lit(types.StringValue("AIR"))))},
		// FIXED_LEN_BYTE_ARRAY decimals on the filter side.
		"big>0": {call(expr.FnGt, expr.BoundCol(18, pageDecTable.Fields[18]), lit(types.DecimalValue(decimal128.FromI64(0), 27, 4)))},
		// Booleans on the filter side.
		"ok|!okr": {call(expr.FnOr, expr.BoundCol(16, pageDecTable.Fields[16]), call(expr.FnEq, expr.BoundCol(17, pageDecTable.Fields[17]), lit(types.BoolValue(false))))},
		"f32<10,day>=9000": {call(expr.FnLt, expr.BoundCol(3, pageDecTable.Fields[3]), lit(types.Float64Value(10))),
			call(expr.FnGe, expr.BoundCol(7, pageDecTable.Fields[7]), lit(types.DateValue(9000)))},
	}
	projections := map[string][]int{"all": nil, "some": {5, 0, 2, 9, 5, 10, 3, 7, 12}, "strings, bools, decimals": {13, 11, 14, 13, 15, 0, 16, 17, 18, 19}}
	var layouts []pageDecLayout
	for _, v2 := range []bool{false, true} {
		for _, dict := range []bool{false, true} {
			for _, index := range []bool{false, true} {
				layouts = append(layouts, pageDecLayout{v2, dict, index, 7_000})
			}
		}
	}
	layouts = append(layouts, pageDecLayout{false, true, true, 20_000})
	if testing.Short() {
		layouts = []pageDecLayout{{false, true, false, 7_000}, {true, true, true, 7_000}, {false, false, true, 20_000}}
	}
	before := parquetfmt.PageDecoderChunks()
	beforeStrings := parquetfmt.PageDecoderStrings()
	beforeBools := parquetfmt.PageDecoderBools()
	beforeFixed := parquetfmt.PageDecoderFixed()
	for _, l := range layouts {
		path := writePageDec(t, rows, l)
		for fname, fs := range filters {
			for pname, cols := range projections {
				t.Run(fmt.Sprintf("%s/%s/%s", l, fname, pname), func(t *testing.T) {
					ro := format.ReadOptions{Table: pageDecTable, Columns: cols, Filters: fs}
					// Batch sizes, row-range splits and morsels, in a
					// pairwise cover rather than every combination.
					for _, c := range []struct {
						batchRows      int
						target, morsel int64
					}{{0, 0, 0}, {777, 60_000, 1_500}, {0, 60_000, 0}, {777, 0, 1_500}, {0, 0, 1_500}} {
						ro.BatchRows = c.batchRows
						want := scanPageDec(t, path, c.target, ro, c.morsel, false)
						got := scanPageDec(t, path, c.target, ro, c.morsel, true)
						sameBatches(t, want, got)
						formattest.Release(want)
						formattest.Release(got)
					}
				})
			}
		}
	}
	if parquetfmt.PageDecoderChunks() == before {
		t.Fatal("the own page decoder never ran")
	}
	if parquetfmt.PageDecoderStrings() == beforeStrings {
		t.Fatal("the own page decoder never read a string chunk as values")
	}
	if parquetfmt.PageDecoderBools() == beforeBools {
		t.Fatal("the own page decoder never read a boolean chunk")
	}
	if parquetfmt.PageDecoderFixed() == beforeFixed {
		t.Fatal("the own page decoder never read a FIXED_LEN_BYTE_ARRAY chunk")
	}
}

func scanPageDec(t *testing.T, path string, target int64, ro format.ReadOptions, morsel int64, own bool) []arrow.RecordBatch {
	t.Helper()
	defer parquetfmt.SetPageDecoder(own)()
	defer parquetfmt.SetMorselRows(morsel)()
	defer parquetfmt.SetPagesPerMorsel(0)()
	recs, err := formattest.Scan(f, path, target, ro)
	if err != nil {
		t.Fatalf("own decoder %t: %v", own, err)
	}
	return recs
}

// sameBatches requires the same batches, column types, values and
// validity.
func sameBatches(t *testing.T, want, got []arrow.RecordBatch) {
	t.Helper()
	if len(want) != len(got) {
		t.Fatalf("%d batches, want %d", len(got), len(want))
	}
	for i := range want {
		if !want[i].Schema().Equal(got[i].Schema()) {
			t.Fatalf("batch %d: schema %s, want %s", i, got[i].Schema(), want[i].Schema())
		}
		if !array.RecordEqual(want[i], got[i]) {
			for c := range want[i].NumCols() {
				if !array.Equal(want[i].Column(int(c)), got[i].Column(int(c))) {
					t.Fatalf("batch %d column %s:\n got %v\nwant %v", i, want[i].ColumnName(int(c)), got[i].Column(int(c)), want[i].Column(int(c)))
				}
			}
			t.Fatalf("batch %d differs", i)
		}
	}
}

// TestPageDecoderCorruptFile overwrites bytes inside the column chunks
// the own decoder reads (both sides of late materialization) and reads
// the file: every failure is an error wrapping format.ErrCorrupt that
// names the file (or a DataError for a garbled value that does not
// fit), never a panic (decode's recover would report it as "decoding row
// group"; arrow-go's page reader's own panics on garbage headers the
// decoder turns into errors).
func TestPageDecoderCorruptFile(t *testing.T) {
	dir := t.TempDir()
	src := writePageDecWith(t, dir, 6_000, pageDecLayout{false, true, true, 2_000}, compress.Codecs.Uncompressed)
	good, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	rdr, err := file.NewParquetReader(bytes.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	var spans [][2]int64
	for rg := range rdr.NumRowGroups() {
		for _, leaf := range []int{0, 2, 6, 10, 13, 18} { // k, i64, d64, flag, txt, big
			cc, err := rdr.MetaData().RowGroup(rg).ColumnChunk(leaf)
			if err != nil {
				t.Fatal(err)
			}
			start := cc.DataPageOffset()
			if cc.HasDictionaryPage() && cc.DictionaryPageOffset() > 0 {
				start = min(start, cc.DictionaryPageOffset())
			}
			spans = append(spans, [2]int64{start, start + cc.TotalCompressedSize()})
		}
	}
	k := expr.BoundCol(0, pageDecTable.Fields[0])
	ro := format.ReadOptions{Table: pageDecTable, Columns: []int{0, 2, 6, 10, 13, 18}, Filters: []*expr.Expr{call(expr.FnGe, k, i64(100))}}
	rng := rand.New(rand.NewPCG(5, 6))
	path := filepath.Join(dir, "corrupt.parquet")
	failed := 0
	for trial := range 300 {
		bad := bytes.Clone(good)
		sp := spans[rng.IntN(len(spans))]
		for range 1 + rng.IntN(3) {
			bad[sp[0]+rng.Int64N(sp[1]-sp[0])] = byte(rng.IntN(256))
		}
		if err := os.WriteFile(path, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, morsel := range []int64{0, 700} {
			restore := parquetfmt.SetMorselRows(morsel)
			recs, err := formattest.Scan(f, path, 0, ro)
			restore()
			formattest.Release(recs)
			if err == nil {
				continue
			}
			failed++
			var de *format.DataError
			if errors.As(err, &de) {
				continue // a garbled value that does not fit its type
			}
			// decode's recover says "decoding row group", readColumns'
			// "panic decoding": a panic the own decoder let through.
			if msg := err.Error(); !errors.Is(err, format.ErrCorrupt) || !strings.Contains(msg, path) ||
				strings.Contains(msg, "decoding row group") || strings.Contains(msg, "panic decoding") {
				t.Fatalf("trial %d: %v; want ErrCorrupt naming %s, not a panic", trial, err, path)
			}
		}
	}
	if failed == 0 {
		t.Fatal("no corruption was detected")
	}
}
