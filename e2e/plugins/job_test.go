package plugins

import (
	"context"
	"encoding/csv"
	"fmt"
	"github.com/drover-etl/drover/internal/e2eutil"
	"hash/fnv"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/drover-etl/drover/sampledata"
)

// The sample data's order notes, with what textkit makes of them, worked
// out by hand: slug, and score for the job's keywords (fragile, care,
// rush, gift, birthday) as the share of the slug's words.
var notes = map[string]struct {
	slug  string
	score float64
}{
	"gift wrap":                 {"gift-wrap", 0.5},
	`say "thanks"`:              {"say-thanks", 0},
	"leave at door, please":     {"leave-at-door-please", 0},
	"fragile\nhandle with care": {"fragile-handle-with-care", 0.5},
	"🎁 birthday":                {"birthday", 1},
	"rush, rush":                {"rush-rush", 1},
	"naïve café order":          {"naive-cafe-order", 0},
}

// TestPluginsJob runs jobs/plugins.hcl with the example plugins built from
// source: scalar functions in expressions, a scoring transform, a masking
// transform on the other side of a join. Expected rows come from the raw
// files, read without Drover.
func TestPluginsJob(t *testing.T) {
	dir := plugins(t)
	data := filepath.Join(t.TempDir(), "data")
	out := filepath.Join(t.TempDir(), "out")
	if _, err := sampledata.Generate(context.Background(), sampledata.Config{Dir: data, Customers: 300, OrdersPerDay: 3000, Days: 2, End: "2026-11-20", Seed: 5}); err != nil {
		t.Fatal(err)
	}
	var log logBuffer
	_, err := runJob(t, filepath.Join(e2eutil.RepoRoot(t), "jobs", "plugins.hcl"),
		map[string]string{"data": data, "out": out, "plugins": dir}, 0, &log)
	if err != nil {
		t.Fatalf("%v\nplugin log:\n%s", err, log.String())
	}
	orders := readOrders(t, data)
	names := readCustomerNames(t, data)

	var want []string
	slugCounts := map[string]int{}
	for _, o := range orders {
		n, ok := notes[o.note]
		if !ok {
			t.Fatalf("the sample data has a note this test does not know: %q", o.note)
		}
		slugCounts[n.slug]++
		name, ok := names[o.customer]
		if n.score > 0 && ok {
			want = append(want, fmt.Sprintf("%d|%s|%s|%d|%g", o.id, initials(name), n.slug, fnv1a(o.note), n.score))
		}
	}
	var got []string
	for _, r := range e2eutil.ReadParquetDir(t, filepath.Join(out, "attention")) {
		score, _ := strconv.ParseFloat(r["score"], 64)
		got = append(got, fmt.Sprintf("%s|%s|%s|%s|%g", r["order_id"], r["customer"], r["note_slug"], r["note_hash"], score))
	}
	sort.Strings(want)
	sort.Strings(got)
	if len(want) == 0 || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("attention: %d rows, want %d; first got %v, want %v", len(got), len(want), head(got), head(want))
	}
	checkSlugCounts(t, filepath.Join(out, "note_slugs"), slugCounts)
}

type order struct {
	id, customer int64
	note         string
}

// readOrders reads the orders CSVs with encoding/csv, skipping empty notes
// (NULL to Drover).
func readOrders(t *testing.T, data string) []order {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(data, "orders", "day=*", "*.csv"))
	var out []order
	for _, p := range paths {
		fh, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(fh).ReadAll()
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs[1:] {
			if r[4] == "" {
				continue
			}
			id, _ := strconv.ParseInt(r[0], 10, 64)
			cust, _ := strconv.ParseInt(r[1], 10, 64)
			out = append(out, order{id: id, customer: cust, note: r[4]})
		}
	}
	return out
}

func readCustomerNames(t *testing.T, data string) map[int64]string {
	t.Helper()
	f, err := file.OpenParquetFile(filepath.Join(data, "customers", "customers.parquet"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fr, err := pqarrow.NewFileReader(f, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	out := map[int64]string{}
	ids, names := tbl.Column(0).Data().Chunks(), tbl.Column(1).Data().Chunks()
	for c := range ids {
		id, name := ids[c].(*array.Int64), names[c].(*array.String)
		for i := 0; i < id.Len(); i++ {
			out[id.Value(i)] = name.Value(i)
		}
	}
	return out
}

// initials is piimask's "initials" mode as the job uses it.
func initials(name string) string {
	var parts []string
	for _, w := range strings.Fields(name) {
		r, _ := utf8.DecodeRuneInString(w)
		parts = append(parts, string(unicode.ToUpper(r))+".")
	}
	return strings.Join(parts, " ")
}

func fnv1a(s string) int64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return int64(h.Sum64())
}

// checkSlugCounts reads the slugs sink (CSV, a header per file).
func checkSlugCounts(t *testing.T, dir string, want map[string]int) {
	t.Helper()
	got := map[string]int{}
	for _, p := range filesWithExt(t, dir, ".csv") {
		fh, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(fh).ReadAll()
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs[1:] {
			n, _ := strconv.Atoi(r[1])
			got[r[0]] = n
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("slug counts = %v, want %v", got, want)
	}
}

func head(rows []string) []string {
	return rows[:min(3, len(rows))]
}
