package local

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// rtFact is the probe table's row id: its keys k (int64), k32 (int32)
// and s (string) are NULL together.
func rtFact(id int64) (k int64, s string, null bool) {
	k = id * 7919 % 20_000
	return k, fmt.Sprintf("s%d", k%300), id%53 == 0
}

// rtDim is the build table's row i: dk = 50i, NULL for some, flag y for
// two rows in three.
func rtDim(i int64) (dk int64, ds string, flag string, null bool) {
	dk = i * 50
	if i%29 == 7 {
		dk = (i - 1) * 50 // a duplicate key
	}
	flag = "n"
	if i%3 != 0 {
		flag = "y"
	}
	return dk, fmt.Sprintf("s%d", dk%300), flag, i%41 == 5
}

const rtFactRows, rtDimRows = 60_000, 400

// TestRuntimeJoinFilters runs joins whose probe side is a Parquet scan and
// whose build side is a small filtered table, so the engine hands the
// scan runtime filters: every join type (inner, semi, anti, left, right),
// int64, int32, string, composite keys and keys of different types, NULL
// keys on both sides; the answers must be the ones computed here, and
// the filters must have dropped rows.
func TestRuntimeJoinFilters(t *testing.T) {
	dir := t.TempDir()
	writeRTFact(t, filepath.Join(dir, "fact", "f.parquet"))
	writeRTDim(t, filepath.Join(dir, "dim", "d.parquet"))
	queries := map[string]struct {
		sql  string
		want string
	}{}
	add := func(name, sql string, want string) {
		queries[name] = struct{ sql, want string }{sql, want}
	}
	// matches(id, on) counts the flag-y dim rows joining fact row id.
	matches := func(id int64, on func(fk int64, fs string, dk int64, ds string) bool) int64 {
		k, s, null := rtFact(id)
		var n int64
		for i := range int64(rtDimRows) {
			dk, ds, flag, dnull := rtDim(i)
			if !null && !dnull && flag == "y" && on(k, s, dk, ds) {
				n++
			}
		}
		return n
	}
	type agg struct{ n, matched, sum int64 }
	over := func(f func(id, m int64, a *agg), on func(fk int64, fs string, dk int64, ds string) bool) agg {
		var a agg
		for id := range int64(rtFactRows) {
			f(id, matches(id, on), &a)
		}
		return a
	}
	byKey := func(fk int64, _ string, dk int64, _ string) bool { return fk == dk }
	byBoth := func(fk int64, fs string, dk int64, ds string) bool { return fk == dk && fs == ds }
	inner := func(id, m int64, a *agg) { a.n += m; a.sum += m * id }
	semi := func(id, m int64, a *agg) {
		if m > 0 {
			a.n++
			a.sum += id
		}
	}
	anti := func(id, m int64, a *agg) {
		if m == 0 {
			a.n++
			a.sum += id
		}
	}
	left := func(id, m int64, a *agg) { a.n += max(m, 1); a.matched += m; a.sum += max(m, 1) * id }
	two := func(a agg) string { return fmt.Sprintf("%d,%d", a.n, a.sum) }

	const y = "(SELECT * FROM dim WHERE flag = 'y')"
	add("inner", "SELECT count(*) AS n, sum(f.id) AS s FROM fact f JOIN dim d ON f.k = d.dk WHERE d.flag = 'y'", two(over(inner, byKey)))
	add("int32", "SELECT count(*) AS n, sum(f.id) AS s FROM fact f JOIN dim d ON f.k32 = d.dk32 WHERE d.flag = 'y'", two(over(inner, byKey)))
	add("mixed", "SELECT count(*) AS n, sum(f.id) AS s FROM fact f JOIN dim d ON f.k32 = d.dk WHERE d.flag = 'y'", two(over(inner, byKey)))
	add("string", "SELECT count(*) AS n, sum(f.id) AS s FROM fact f JOIN dim d ON f.s = d.ds WHERE d.flag = 'y' AND d.dk < 1000", "")
	add("composite", "SELECT count(*) AS n, sum(f.id) AS s FROM fact f JOIN dim d ON f.k = d.dk AND f.s = d.ds WHERE d.flag = 'y'", two(over(inner, byBoth)))
	add("semi", "SELECT count(*) AS n, sum(id) AS s FROM fact WHERE k IN (SELECT dk FROM dim WHERE flag = 'y')", two(over(semi, byKey)))
	add("anti", "SELECT count(*) AS n, sum(id) AS s FROM fact f WHERE NOT EXISTS (SELECT 1 FROM dim d WHERE d.dk = f.k AND d.flag = 'y')", two(over(anti, byKey)))
	l := over(left, byKey)
	add("left", "SELECT count(*) AS n, count(d.dk) AS m, sum(f.id) AS s FROM fact f LEFT JOIN "+y+" d ON f.k = d.dk", fmt.Sprintf("%d,%d,%d", l.n, l.matched, l.sum))
	// right: every flag-y dim row, matched or not.
	var rn, rm int64
	for i := range int64(rtDimRows) {
		dk, _, flag, dnull := rtDim(i)
		if flag != "y" {
			continue
		}
		var m int64
		for id := range int64(rtFactRows) {
			if k, _, null := rtFact(id); !null && !dnull && k == dk {
				m++
			}
		}
		rn, rm = rn+max(m, 1), rm+m
	}
	add("right", "SELECT count(*) AS n, count(f.id) AS m FROM fact f RIGHT JOIN "+y+" d ON f.k = d.dk", fmt.Sprintf("%d,%d", rn, rm))
	// string keys with dk < 1000: computed apart (the extra condition).
	var sa agg
	for id := range int64(rtFactRows) {
		_, s, null := rtFact(id)
		for i := range int64(rtDimRows) {
			dk, ds, flag, dnull := rtDim(i)
			if !null && !dnull && flag == "y" && dk < 1000 && s == ds {
				sa.n++
				sa.sum += id
			}
		}
	}
	queries["string"] = struct{ sql, want string }{queries["string"].sql, two(sa)}

	var body strings.Builder
	fmt.Fprintf(&body, "job \"rtfilter\" {\n  source \"fact\" {\n    format = \"parquet\"\n    path   = %q\n  }\n  source \"dim\" {\n    format = \"parquet\"\n    path   = %q\n  }\n",
		filepath.Join(dir, "fact")+"/", filepath.Join(dir, "dim")+"/")
	for name, q := range queries {
		fmt.Fprintf(&body, "  view %q {\n    sql = %q\n  }\n  sink %q {\n    from   = %q\n    format = \"csv\"\n    path   = %q\n  }\n",
			"v_"+name, q.sql, name, "v_"+name, filepath.Join(dir, "out", name)+"/")
	}
	body.WriteString("}\n")
	sum, err := runJob(t, writeJob(t, dir, body.String()), runOpts{})
	if err != nil {
		t.Fatal(err)
	}
	for name, q := range queries {
		t.Run(name, func(t *testing.T) { checkCSVRows(t, filepath.Join(dir, "out", name), q.want) })
	}
	var dropped int64
	for _, st := range sum.Stages {
		dropped += st.Metrics.RuntimeFiltered
	}
	if dropped == 0 {
		t.Fatal("runtime filters dropped no row")
	}
}

func writeRTFact(t *testing.T, path string) {
	t.Helper()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "k32", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "pay", Type: arrow.BinaryTypes.String},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for id := range int64(rtFactRows) {
		k, s, null := rtFact(id)
		b.Field(0).(*array.Int64Builder).Append(id)
		if null {
			b.Field(1).AppendNull()
			b.Field(2).AppendNull()
			b.Field(3).AppendNull()
		} else {
			b.Field(1).(*array.Int64Builder).Append(k)
			b.Field(2).(*array.Int32Builder).Append(int32(k))
			b.Field(3).(*array.StringBuilder).Append(s)
		}
		b.Field(4).(*array.StringBuilder).Append(fmt.Sprintf("payload-%d", id))
	}
	writeRTParquet(t, path, b, 15_000)
}

func writeRTDim(t *testing.T, path string) {
	t.Helper()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "dk", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "dk32", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "ds", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "flag", Type: arrow.BinaryTypes.String},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for i := range int64(rtDimRows) {
		dk, ds, flag, null := rtDim(i)
		if null {
			b.Field(0).AppendNull()
			b.Field(1).AppendNull()
			b.Field(2).AppendNull()
		} else {
			b.Field(0).(*array.Int64Builder).Append(dk)
			b.Field(1).(*array.Int32Builder).Append(int32(dk))
			b.Field(2).(*array.StringBuilder).Append(ds)
		}
		b.Field(3).(*array.StringBuilder).Append(flag)
	}
	writeRTParquet(t, path, b, rtDimRows)
}

// writeRTParquet writes the builder's rows in row groups of rgRows, with
// dictionaries and the page index.
func writeRTParquet(t *testing.T, path string, b *array.RecordBuilder, rgRows int64) {
	t.Helper()
	rec := b.NewRecordBatch()
	defer rec.Release()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithMaxRowGroupLength(rgRows), parquet.WithDataPageSize(8<<10),
		parquet.WithDictionaryDefault(true), parquet.WithPageIndexEnabled(true), parquet.WithStats(true))
	fw, err := pqarrow.NewFileWriter(rec.Schema(), f, props, pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := fw.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
}
