package conformance

import (
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

func TestParseOrdering(t *testing.T) {
	for _, c := range []struct {
		sql   string
		keys  []string
		limit bool
		items []string
	}{
		{"SELECT a, b FROM t", nil, false, []string{"a", "b"}},
		{"SELECT a AS x, sum(b) s FROM t GROUP BY a ORDER BY x DESC NULLS FIRST, 2 LIMIT 10;", []string{"x", "2"}, true, []string{"a", "sum(b)"}},
		{"WITH w AS (SELECT a FROM t ORDER BY a LIMIT 3) SELECT * FROM w", nil, false, nil},
		{"SELECT a, rank() OVER (PARTITION BY b ORDER BY c) FROM t", nil, false, []string{"a", "rank() OVER (PARTITION BY b ORDER BY c)"}},
		{"SELECT a FROM t UNION ALL SELECT b FROM u ORDER BY 1", []string{"1"}, false, []string{"a"}},
		{"SELECT 'x,y' AS \"order by\", t.c -- ORDER BY z\n FROM t /* LIMIT */ ORDER BY t.c", []string{"t.c"}, false, []string{"'x,y'", "t.c"}},
		{"SELECT CASE WHEN a THEN 1 ELSE 2 END, substr(s, 1, 2) FROM t ORDER BY substr(s,1,2) ASC", []string{"substr(s,1,2)"}, false,
			[]string{"CASE WHEN a THEN 1 ELSE 2 END", "substr(s, 1, 2)"}},
		{"SELECT a FROM t LIMIT 5", nil, true, []string{"a"}},
	} {
		o := parseOrdering(c.sql)
		if !slices.Equal(o.keys, c.keys) || o.limit != c.limit || !slices.Equal(o.items, c.items) {
			t.Errorf("%q:\n got keys %q limit %v items %q\nwant keys %q limit %v items %q", c.sql, o.keys, o.limit, o.items, c.keys, c.limit, c.items)
		}
	}
}

func TestKeyColumns(t *testing.T) {
	cols := []string{"brand_id", "brand", "ext_price", "count_star()"}
	items := []string{"i_brand_id", "i_brand", "sum(ss_ext_sales_price)", "count(*)"}
	for _, c := range []struct {
		keys []string
		want []int
		all  bool
	}{
		{[]string{"ext_price", "brand_id"}, []int{2, 0}, true},
		{[]string{"i_brand_id", "3", "count(*)"}, []int{0, 2, 3}, true},
		{[]string{"item.brand", "SUM( ss_ext_sales_price )"}, []int{1, 2}, true},
		{[]string{"brand", "i_category", "brand_id"}, []int{1}, false},
		{[]string{"5"}, nil, false},
	} {
		got, all := keyColumns(c.keys, cols, items)
		if !slices.Equal(got, c.want) || all != c.all {
			t.Errorf("%q: got %v %v, want %v %v", c.keys, got, all, c.want, c.all)
		}
	}
}

func TestNormalizeEqual(t *testing.T) {
	day := time.Date(1998, 9, 2, 0, 0, 0, 0, time.UTC)
	dec := func(v int64, scale uint8) duckdb.Decimal {
		return duckdb.Decimal{Width: 18, Scale: scale, Value: big.NewInt(v)}
	}
	for _, c := range []struct {
		a, b any
		eq   bool
	}{
		{int32(7), int64(7), true},
		{int64(7), 7.0, true},
		{dec(1234, 2), 12.34, true},
		{dec(1234, 2), dec(12340, 3), true},
		{dec(1234, 2), 12.35, false},
		{1.0 / 3, 0.3333333333, true},
		{1.0 / 3, 0.3333, false},
		{int64(1) << 60, int64(1)<<60 + 1, false}, // integers compare exactly
		{big.NewInt(42), int32(42), true},
		{nil, nil, true},
		{nil, int64(0), false},
		{"1", int64(1), false},
		{day, day.Add(0), true},
		{day, day.Add(time.Hour), false},
		{true, true, true},
		{true, int64(1), false},
		{1e-12, 0.0, true},
	} {
		if got := normalize(c.a).equal(normalize(c.b)); got != c.eq {
			t.Errorf("%v (%T) = %v (%T): got %v, want %v", c.a, c.a, c.b, c.b, got, c.eq)
		}
	}
}

func rowsOf(vals ...[]any) []row {
	var out []row
	for _, v := range vals {
		r := make(row, len(v))
		for i, x := range v {
			r[i] = normalize(x)
		}
		out = append(out, r)
	}
	return out
}

func TestCompareResults(t *testing.T) {
	cols := []string{"k", "v"}
	res := func(rows ...[]any) result { return result{columns: cols, rows: rowsOf(rows...)} }
	for _, c := range []struct {
		name      string
		sql       string
		want, got result
		ok        bool
		diff      string
	}{
		{"multiset", "SELECT k, v FROM t",
			res([]any{int64(1), "a"}, []any{int64(2), "b"}, []any{nil, "c"}),
			res([]any{nil, "c"}, []any{int64(2), "b"}, []any{int64(1), "a"}), true, ""},
		{"duplicates count", "SELECT k, v FROM t",
			res([]any{int64(1), "a"}, []any{int64(1), "a"}, []any{int64(2), "b"}),
			res([]any{int64(1), "a"}, []any{int64(2), "b"}, []any{int64(2), "b"}), false, "rows differ"},
		{"row count", "SELECT k, v FROM t", res([]any{int64(1), "a"}), res(), false, "0 rows, want 1"},
		{"ties reorder freely", "SELECT k, v FROM t ORDER BY k",
			res([]any{int64(1), "a"}, []any{int64(1), "b"}, []any{int64(2), "c"}),
			res([]any{int64(1), "b"}, []any{int64(1), "a"}, []any{int64(2), "c"}), true, ""},
		{"wrong order", "SELECT k, v FROM t ORDER BY k DESC",
			res([]any{int64(2), "c"}, []any{int64(1), "a"}),
			res([]any{int64(1), "a"}, []any{int64(2), "c"}), false, "order differs at row 1"},
		{"limit cut inside a tie", "SELECT k, v FROM t ORDER BY k LIMIT 2",
			res([]any{int64(1), "a"}, []any{int64(2), "b"}),
			res([]any{int64(1), "a"}, []any{int64(2), "z"}), true, ""},
		{"limit: rows before the tie must match", "SELECT k, v FROM t ORDER BY k LIMIT 2",
			res([]any{int64(1), "a"}, []any{int64(2), "b"}),
			res([]any{int64(1), "x"}, []any{int64(2), "b"}), false, "rows differ"},
		{"offset cut inside a tie", "SELECT k, v FROM t ORDER BY k LIMIT 2 OFFSET 1",
			res([]any{int64(1), "a"}, []any{int64(2), "b"}, []any{int64(3), "c"}),
			res([]any{int64(1), "z"}, []any{int64(2), "b"}, []any{int64(3), "c"}), true, ""},
		{"offset: middle rows must match", "SELECT k, v FROM t ORDER BY k LIMIT 2 OFFSET 1",
			res([]any{int64(1), "a"}, []any{int64(2), "b"}, []any{int64(3), "c"}),
			res([]any{int64(1), "a"}, []any{int64(2), "z"}, []any{int64(3), "c"}), false, "rows differ"},
		{"limit not reached: every row must match", "SELECT k, v FROM t ORDER BY k LIMIT 10",
			res([]any{int64(1), "a"}, []any{int64(2), "b"}),
			res([]any{int64(1), "a"}, []any{int64(2), "z"}), false, "rows differ"},
		{"no limit: a tie group must match", "SELECT k, v FROM t ORDER BY k",
			res([]any{int64(1), "a"}, []any{int64(2), "b"}),
			res([]any{int64(1), "a"}, []any{int64(2), "z"}), false, "rows differ"},
		{"float tolerance", "SELECT k, v FROM t",
			res([]any{1.0000000001, "a"}, []any{1.0, "b"}),
			res([]any{1.0, "a"}, []any{1.0000000002, "b"}), true, ""},
		{"columns", "SELECT k, v FROM t",
			res([]any{int64(1), "a"}), result{columns: []string{"k"}, rows: rowsOf([]any{int64(1)})}, false, "1 columns"},
	} {
		v := compareResults(c.want, c.got, parseOrdering(c.sql))
		if v.ok != c.ok || !strings.Contains(v.diff, c.diff) {
			t.Errorf("%s: got ok=%v diff=%q, want ok=%v diff containing %q", c.name, v.ok, v.diff, c.ok, c.diff)
		}
	}
}

// TestCompareEvaluatedKeys covers sort keys DuckDB evaluated over the
// results (ORDER BY an expression of output columns).
func TestCompareEvaluatedKeys(t *testing.T) {
	cols := []string{"k", "v"}
	ord := parseOrdering("SELECT k, v FROM t ORDER BY k % 2, k")
	want := result{columns: cols, rows: rowsOf([]any{int64(2), "b"}, []any{int64(1), "a"}, []any{int64(3), "c"}),
		keys: rowsOf([]any{int64(0), int64(2)}, []any{int64(1), int64(1)}, []any{int64(1), int64(3)})}
	good := result{columns: cols, rows: want.rows, keys: want.keys}
	if v := compareResults(want, good, ord); !v.ok {
		t.Errorf("same order: %s", v.diff)
	}
	bad := result{columns: cols, rows: rowsOf([]any{int64(1), "a"}, []any{int64(2), "b"}, []any{int64(3), "c"}),
		keys: rowsOf([]any{int64(1), int64(1)}, []any{int64(0), int64(2)}, []any{int64(1), int64(3)})}
	if v := compareResults(want, bad, ord); v.ok || !strings.Contains(v.diff, "order differs at row 1") {
		t.Errorf("wrong order accepted: %+v", v)
	}
	// Without evaluated keys the check falls back to mapped columns (none
	// here: k % 2 is not a column), and notes it.
	want.keys, bad.keys = nil, nil
	if v := compareResults(want, bad, ord); !v.ok || len(v.notes) == 0 {
		t.Errorf("fallback: %+v", v)
	}
}

func TestRatchet(t *testing.T) {
	for _, c := range []struct {
		got      outcome
		recorded outcome
		known    bool
		fail     bool
		improved bool
	}{
		{pass, pass, true, false, false},
		{errored, pass, true, true, false},
		{timeout, pass, true, true, false},
		{wrong, errored, true, true, false},
		{wrong, wrong, true, true, false},
		{pass, errored, true, false, true},
		{pass, "", false, false, true},
		{errored, errored, true, false, false},
		{errored, "", false, false, false},
	} {
		f, imp := ratchetVerdict(queryResult{name: "q", outcome: c.got, message: "m"}, c.recorded, c.known)
		if (f != "") != c.fail || imp != c.improved {
			t.Errorf("%s recorded %q (known %v): failure %q improved %v", c.got, c.recorded, c.known, f, imp)
		}
	}
}

func TestCause(t *testing.T) {
	a := cause(firstLine(`conformance.hcl:35:11: view "result": syntax error near "NULLS FIRST" (line 79, column 27)` + "\nmore"))
	b := cause(firstLine(`conformance.hcl:12:11: view "result": syntax error near "(c_custkey," (line 13, column 29)`))
	if a != "syntax error near ‹NULLS› (line N, column N)" || b != "syntax error near ‹(› (line N, column N)" {
		t.Errorf("causes %q and %q", a, b)
	}
	c := cause(`syntax error near "NULLS FIRST, 1, 2" (line 3, column 1)`)
	d := cause(`where: unknown column "x" (did you mean "y"?)`)
	if c != a || d != "where: unknown column … (did you mean …?)" {
		t.Errorf("causes %q and %q", c, d)
	}
}
