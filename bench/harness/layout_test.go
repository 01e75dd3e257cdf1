package harness

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSelectLayouts(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    string
		wantErr string
	}{
		{in: "drover,duckdb,nodict", want: "drover,duckdb,nodict"},
		{in: "nodict, drover", want: "nodict,drover"},
		{in: "duckdb", want: "duckdb"},
		{in: "drover,parquet", wantErr: `unknown layout "parquet"`},
		{in: "drover,drover", wantErr: "given twice"},
		{in: "", wantErr: "no layout selected"},
	} {
		ls, err := SelectLayouts(strings.Split(tc.in, ","))
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%q: error %v, want %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		var names []string
		for _, l := range ls {
			names = append(names, l.Name)
		}
		if got := strings.Join(names, ","); got != tc.want {
			t.Errorf("%q: got %s, want %s", tc.in, got, tc.want)
		}
	}
}

// TestLayoutsSF001 prepares the three layouts at SF 0.01, checks their
// files from the footers (the nodict check must reject the generator's
// files, which do have dictionaries), runs two queries on each with both
// engines and profiles the worst cell.
func TestLayoutsSF001(t *testing.T) {
	if testing.Short() {
		t.Skip("runs both engines on three layouts")
	}
	var log strings.Builder
	cfg := Config{
		Drover: droverBinary(t), QueryDir: filepath.Join("..", "queries"),
		DataRoot: t.TempDir(), ScaleFactor: 0.01, Reps: 1, Threads: 2, Log: &log,
		Queries: []string{"q1", "sort_orders"}, SkipFloor: true, Timeout: 5 * time.Minute,
	}
	rep, err := RunLayouts(context.Background(), cfg, LayoutOptions{Layouts: Layouts, Profiles: 1})
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	if len(rep.Layouts) != 3 {
		t.Fatalf("%d layouts, want 3", len(rep.Layouts))
	}
	byName := map[string]*LayoutRun{}
	for _, lr := range rep.Layouts {
		byName[lr.Layout.Name] = lr
		if len(lr.Queries) != 2 {
			t.Errorf("%s: %d queries, want 2", lr.Layout.Name, len(lr.Queries))
		}
		for _, q := range lr.Queries {
			if !q.OK() || q.Result.Rows == 0 {
				t.Errorf("%s/%s: ok %v, %d rows: %s", lr.Layout.Name, q.Query.Name, q.OK(), q.Result.Rows, q.Error)
			}
		}
	}
	gen, duck, nodict := byName["drover"], byName["duckdb"], byName["nodict"]
	for i := range gen.Queries {
		for _, lr := range []*LayoutRun{duck, nodict} {
			if !lr.Queries[i].Result.Agrees(gen.Queries[i].Result) {
				t.Errorf("%s/%s: answer %s, the generator's files %s", lr.Layout.Name, lr.Queries[i].Query.Name,
					lr.Queries[i].Result, gen.Queries[i].Result)
			}
		}
	}
	li := gen.Shapes["lineitem"]
	if li.DictChunks == 0 || len(li.DictColumns) == 0 {
		t.Errorf("the generator's lineitem has no dictionary columns (%+v): the nodict layout would change nothing", li)
	}
	if err := checkNoDict("lineitem", li); err == nil {
		t.Error("checkNoDict accepted the generator's lineitem, which has dictionary pages")
	}
	for _, tbl := range tpchTables {
		if s := nodict.Shapes[tbl]; s.DictChunks != 0 || s.Chunks == 0 {
			t.Errorf("nodict %s: %d of %d column chunks with a dictionary page", tbl, s.DictChunks, s.Chunks)
		}
		if s := duck.Shapes[tbl]; s.Files != 1 || s.Rows != gen.Data.Tables[tbl].Rows {
			t.Errorf("duckdb %s: %d files, %d rows (want 1 file, %d rows)", tbl, s.Files, s.Rows, gen.Data.Tables[tbl].Rows)
		}
		if a, b := gen.Shapes[tbl].Types, nodict.Shapes[tbl].Types; len(a) == 0 || strings.Join(typeList(a), ",") != strings.Join(typeList(b), ",") {
			t.Errorf("nodict %s: column types %v, the generator's %v", tbl, b, a)
		}
	}
	if len(rep.Profiles) != 1 {
		t.Fatalf("%d profiles, want 1", len(rep.Profiles))
	}
	p := rep.Profiles[0]
	if p.Error != "" || !strings.Contains(p.TopCum, "flat%") || !strings.Contains(p.Top, "flat%") {
		t.Errorf("profile of %s/%s: error %q, top -cum:\n%s", p.Layout, p.Query, p.Error, p.TopCum)
	}
	md := rep.Markdown()
	for _, want := range []string{"## Drover/DuckDB by query and layout", "| q1 | **", "## Row-group shape of lineitem",
		"## Layout nodict", "### " + p.Query + " on the " + p.Layout + " layout"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
	mdPath, js, err := rep.Write(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(mdPath, "-layouts-sf0.01.md") {
		t.Errorf("report written to %s", mdPath)
	}
	if _, err := os.Stat(js); err != nil {
		t.Error(err)
	}
	// A second run reuses the cached layouts.
	before, err := os.Stat(filepath.Join(duck.Data.Dir, dataMarker))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Queries = []string{"q1"}
	if _, err := RunLayouts(context.Background(), cfg, LayoutOptions{Layouts: Layouts[1:2]}); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(filepath.Join(duck.Data.Dir, dataMarker))
	if err != nil || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("the duckdb layout was rewritten (%v)", err)
	}
	if t.Failed() {
		t.Log(log.String())
	}
}

func typeList(m map[string]string) []string {
	var out []string
	for _, k := range sortedKeys(keysOf(m)) {
		out = append(out, k+"="+m[k])
	}
	return out
}

// TestTPCLayoutsSF001 runs two standard TPC-H texts on two layouts of the
// generator's data and requires agreeing answers and a layouts report.
func TestTPCLayoutsSF001(t *testing.T) {
	if testing.Short() {
		t.Skip("runs both engines")
	}
	var log strings.Builder
	cfg := Config{
		Drover: droverBinary(t), DataRoot: t.TempDir(), ScaleFactor: 0.01, Reps: 1, Threads: 2, Log: &log,
		Queries: []string{"q06", "q13"}, Timeout: 5 * time.Minute,
	}
	rep, err := RunTPCLayouts(context.Background(), cfg, []Layout{Layouts[0], Layouts[2]}, nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	if len(rep.Suites) != 2 || strings.Join(rep.Layouts, ",") != "drover,nodict" {
		t.Fatalf("suites %v, layouts %v", rep.Suites, rep.Layouts)
	}
	for _, s := range rep.Suites {
		if tot := s.Totals(); tot.Queries != 2 || tot.OK != 2 {
			t.Errorf("%s: %d of %d queries agree", s.Name, tot.OK, tot.Queries)
		}
	}
	md, _, err := rep.Write(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(md, "-tpc-layouts-sf0.01.md") {
		t.Errorf("report written to %s", md)
	}
	if text := rep.Markdown(); !strings.Contains(text, "TPC-H, nodict layout") || strings.Contains(text, "DuckDB's generator") {
		t.Errorf("report:\n%s", text)
	}
	if t.Failed() {
		t.Log(log.String())
	}
}
