package tpch

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	_ "github.com/drover-etl/drover/storage/local"
)

// generated is one SF 0.01 data set shared by the tests.
var generated struct {
	dir string
	sum *Summary
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "tpch-test-")
	if err != nil {
		panic(err)
	}
	sum, err := Generate(context.Background(), Config{Dir: dir, ScaleFactor: 0.01, Seed: 7})
	if err != nil {
		panic(err)
	}
	generated.dir, generated.sum = dir, sum
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// readTable reads every Parquet file of a table into one batch per file.
func readTable(t *testing.T, table string) []arrow.RecordBatch {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(generated.dir, "parquet", table, "*.parquet"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no files for %s: %v", table, err)
	}
	var out []arrow.RecordBatch
	for _, f := range files {
		pf, err := file.OpenParquetFile(f, false)
		if err != nil {
			t.Fatal(err)
		}
		fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 1 << 30}, memory.DefaultAllocator)
		if err != nil {
			t.Fatal(err)
		}
		tbl, err := fr.ReadTable(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		tr := array.NewTableReader(tbl, 1<<30)
		for tr.Next() {
			rec := tr.RecordBatch()
			rec.Retain()
			out = append(out, rec)
		}
		tr.Release()
		tbl.Release()
		pf.Close()
	}
	return out
}

func column[T any](t *testing.T, recs []arrow.RecordBatch, name string, get func(arrow.Array, int) T) []T {
	t.Helper()
	var out []T
	for _, r := range recs {
		idx := r.Schema().FieldIndices(name)
		if len(idx) != 1 {
			t.Fatalf("no column %s", name)
		}
		c := r.Column(idx[0])
		for i := range c.Len() {
			out = append(out, get(c, i))
		}
	}
	return out
}

func int64At(a arrow.Array, i int) int64   { return a.(*array.Int64).Value(i) }
func stringAt(a arrow.Array, i int) string { return a.(*array.String).Value(i) }
func dateAt(a arrow.Array, i int) int32    { return int32(a.(*array.Date32).Value(i)) }
func moneyAt(a arrow.Array, i int) int64   { return int64(a.(*array.Decimal128).Value(i).LowBits()) }

func TestCardinalities(t *testing.T) {
	want := map[string]int64{Region: 5, Nation: 25, Supplier: 100, Customer: 1500, Part: 2000,
		PartSupp: 8000, Orders: 15000}
	got := map[string]int64{}
	for _, ts := range generated.sum.Tables {
		if ts.Format == "parquet" {
			got[ts.Table] = ts.Rows
		}
	}
	for table, n := range want {
		if got[table] != n {
			t.Errorf("%s: %d rows, want %d", table, got[table], n)
		}
	}
	// 1 to 7 lines per order, 4 on average.
	if n := got[Lineitem]; n < 15000*37/10 || n > 15000*43/10 {
		t.Errorf("lineitem: %d rows, want about 60000", n)
	}
	if got[Lineitem] == 0 || len(generated.sum.Tables) != 2*len(Tables) {
		t.Errorf("summary lists %d outputs, want parquet and csv for every table", len(generated.sum.Tables))
	}
}

// TestFilesRollOver: a table larger than FileBytes spans files, each
// about FileBytes (files close at chunk and row-group boundaries).
func TestFilesRollOver(t *testing.T) {
	cfg := Config{Dir: t.TempDir(), ScaleFactor: 0.05, Tables: []string{Lineitem}, FileBytes: 2 << 20}
	sum, err := Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, ts := range sum.Tables {
		if ts.Files < 2 || ts.Bytes/int64(ts.Files) > 4*cfg.FileBytes {
			t.Errorf("%s %s: %d files of %d bytes in all, want several of about %d", ts.Format, ts.Table, ts.Files, ts.Bytes, cfg.FileBytes)
		}
	}
}

func TestKeysAndRelationships(t *testing.T) {
	orders := readTable(t, Orders)
	lines := readTable(t, Lineitem)
	okeys := column(t, orders, "o_orderkey", int64At)
	for i, k := range okeys {
		if k != orderKey(int64(i)) {
			t.Fatalf("order %d has key %d, want sparse key %d", i, k, orderKey(int64(i)))
		}
	}
	for _, c := range column(t, orders, "o_custkey", int64At) {
		if c < 1 || c > 1500 || c%3 == 0 {
			t.Fatalf("o_custkey %d: want 1..1500 and not a multiple of 3", c)
		}
	}
	known := map[int64]bool{}
	for _, k := range okeys {
		known[k] = true
	}
	parts := column(t, lines, "l_partkey", int64At)
	supps := column(t, lines, "l_suppkey", int64At)
	for i, k := range column(t, lines, "l_orderkey", int64At) {
		if !known[k] {
			t.Fatalf("line %d references missing order %d", i, k)
		}
		ok := false
		for s := range int64(4) {
			ok = ok || partSupplier(parts[i], s, 100) == supps[i]
		}
		if !ok {
			t.Fatalf("line %d: supplier %d does not supply part %d", i, supps[i], parts[i])
		}
	}
}

// TestLineitemDistributions checks the clause 4.2.3 rules Q1 and the date
// predicates of the queries depend on.
func TestLineitemDistributions(t *testing.T) {
	lines := readTable(t, Lineitem)
	ship := column(t, lines, "l_shipdate", dateAt)
	commit := column(t, lines, "l_commitdate", dateAt)
	receipt := column(t, lines, "l_receiptdate", dateAt)
	flags := column(t, lines, "l_returnflag", stringAt)
	status := column(t, lines, "l_linestatus", stringAt)
	qty := column(t, lines, "l_quantity", moneyAt)
	disc := column(t, lines, "l_discount", moneyAt)
	tax := column(t, lines, "l_tax", moneyAt)
	groups := map[string]int{}
	for i := range ship {
		if receipt[i] <= ship[i] || ship[i] < startDate || receipt[i] > endDate || commit[i] < startDate {
			t.Fatalf("line %d: dates ship %d commit %d receipt %d out of order or range", i, ship[i], commit[i], receipt[i])
		}
		wantFlag := flags[i] == "N"
		if wantFlag != (receipt[i] > currentDate) {
			t.Fatalf("line %d: return flag %s with receipt date %d", i, flags[i], receipt[i])
		}
		if (status[i] == "O") != (ship[i] > currentDate) {
			t.Fatalf("line %d: line status %s with ship date %d", i, status[i], ship[i])
		}
		if qty[i] < 100 || qty[i] > 5000 || qty[i]%100 != 0 || disc[i] < 0 || disc[i] > 10 || tax[i] < 0 || tax[i] > 8 {
			t.Fatalf("line %d: quantity %d, discount %d, tax %d (cents) out of range", i, qty[i], disc[i], tax[i])
		}
		groups[flags[i]+status[i]]++
	}
	if len(groups) != 4 || groups["AF"] == 0 || groups["NF"] == 0 || groups["NO"] == 0 || groups["RF"] == 0 {
		t.Errorf("Q1 groups %v, want exactly AF, NF, NO, RF", groups)
	}
}

func TestOrderTotals(t *testing.T) {
	orders := readTable(t, Orders)
	lines := readTable(t, Lineitem)
	ext := column(t, lines, "l_extendedprice", moneyAt)
	disc := column(t, lines, "l_discount", moneyAt)
	tax := column(t, lines, "l_tax", moneyAt)
	status := column(t, lines, "l_linestatus", stringAt)
	keys := column(t, lines, "l_orderkey", int64At)
	total := map[int64]int64{}
	states := map[int64]map[string]bool{}
	for i, k := range keys {
		total[k] += ext[i] * (100 - disc[i]) / 100 * (100 + tax[i]) / 100
		if states[k] == nil {
			states[k] = map[string]bool{}
		}
		states[k][status[i]] = true
	}
	prices := column(t, orders, "o_totalprice", moneyAt)
	ostatus := column(t, orders, "o_orderstatus", stringAt)
	for i, k := range column(t, orders, "o_orderkey", int64At) {
		if prices[i] != total[k] {
			t.Fatalf("order %d: total %d, lines sum to %d", k, prices[i], total[k])
		}
		want := "P"
		switch {
		case !states[k]["O"]:
			want = "F"
		case !states[k]["F"]:
			want = "O"
		}
		if ostatus[i] != want {
			t.Fatalf("order %d: status %s, want %s", k, ostatus[i], want)
		}
	}
}

func TestTextLengths(t *testing.T) {
	for _, tc := range []struct {
		table, col string
		lo, hi     int
	}{
		{Orders, "o_comment", 19, 78},
		{Lineitem, "l_comment", 10, 43},
		{Customer, "c_comment", 29, 116},
		{PartSupp, "ps_comment", 49, 198},
		{Part, "p_comment", 5, 22},
		{Supplier, "s_address", 10, 40},
	} {
		for _, s := range column(t, readTable(t, tc.table), tc.col, stringAt) {
			if len(s) < tc.lo || len(s) > tc.hi {
				t.Fatalf("%s.%s %q: length %d outside [%d, %d]", tc.table, tc.col, s, len(s), tc.lo, tc.hi)
			}
		}
	}
}

// TestDeterministic: the same seed gives the same rows, another seed other
// rows. (The files' footers may differ in the order of their page-encoding
// statistics, which arrow-go writes from a map; the data does not.)
func TestDeterministic(t *testing.T) {
	again := t.TempDir()
	cfg := Config{Dir: again, ScaleFactor: 0.01, Seed: 7, Formats: []string{"csv"}, Tables: []string{Orders}, Workers: 1}
	if _, err := Generate(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	a, err := os.ReadFile(filepath.Join(generated.dir, "csv", Orders, "part-00000.csv"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(again, "csv", Orders, "part-00000.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) {
		t.Error("same seed, different orders (with 1 worker instead of GOMAXPROCS)")
	}
	cfg.Seed, cfg.Dir = 8, t.TempDir()
	if _, err := Generate(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	c, err := os.ReadFile(filepath.Join(cfg.Dir, "csv", Orders, "part-00000.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if string(a) == string(c) {
		t.Error("seeds 7 and 8 gave the same orders")
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []Config{
		{Dir: t.TempDir()},
		{Dir: t.TempDir(), ScaleFactor: 1, Tables: []string{"lineitems"}},
		{Dir: t.TempDir(), ScaleFactor: 1, Formats: []string{"orc"}},
	} {
		if _, err := Generate(context.Background(), cfg); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
}
