package optimizer

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/drover-etl/drover/plan/logical"
)

func TestPushSemiJoins(t *testing.T) {
	fact := scan("fact", 1<<30, "id:int64", "dim:int64?", "q:int64")
	dim := scan("dim", 1<<20, "k:int64", "v:int64?")
	sub := scan("sub", 1<<10, "k:int64", "lim:int64")
	inner := join(logical.InnerJoin, fact, dim, "dim", "k")
	semiOn := func(typ logical.JoinType, in logical.Node, key string) *logical.Join {
		return join(typ, in, sub, key, "k")
	}
	runRuleCases(t, PushSemiJoins, []ruleCase{
		{"semi on the smaller side moves into it", semiOn(logical.SemiJoin, inner, "dim.k"), `
			Join inner auto on [fact.dim#1] = [dim.k#0]
			  Scan fact [parquet data/fact] columns=[id, dim, q]
			  Join semi auto on [dim.k#0] = [sub.k#0]
			    Scan dim [parquet data/dim] columns=[k, v]
			    Scan sub [parquet data/sub] columns=[k, lim]`},
		{"anti too, its filter rebound", func() logical.Node {
			j := semiOn(logical.AntiJoin, inner, "dim.k")
			j.Filter = gt(joinCol(inner, sub, "dim.v"), joinCol(inner, sub, "sub.lim"))
			return j
		}(), `
			Join inner auto on [fact.dim#1] = [dim.k#0]
			  Scan fact [parquet data/fact] columns=[id, dim, q]
			  Join anti auto on [dim.k#0] = [sub.k#0] filter (dim.v#1 > sub.lim#3)
			    Scan dim [parquet data/dim] columns=[k, v]
			    Scan sub [parquet data/sub] columns=[k, lim]`},
		{"through a project of bare columns", semiOn(logical.SemiJoin,
			project(inner, "v", col(inner, "dim.v"), "k", col(inner, "dim.k"), "q", col(inner, "fact.q")), "k"), `
			Project dim.v#4 AS v, dim.k#3 AS k, fact.q#2 AS q
			  Join inner auto on [fact.dim#1] = [dim.k#0]
			    Scan fact [parquet data/fact] columns=[id, dim, q]
			    Join semi auto on [dim.k#0] = [sub.k#0]
			      Scan dim [parquet data/dim] columns=[k, v]
			      Scan sub [parquet data/sub] columns=[k, lim]`},
		{"the larger side keeps it above", semiOn(logical.SemiJoin, inner, "fact.id"), ""},
		{"a filter reading both sides keeps it above", func() logical.Node {
			j := semiOn(logical.SemiJoin, inner, "dim.k")
			j.Filter = gt(joinCol(inner, sub, "fact.q"), joinCol(inner, sub, "sub.lim"))
			return j
		}(), ""},
		{"a computed column keeps it above", semiOn(logical.SemiJoin,
			project(inner, "k2", add(col(inner, "dim.k"), lit(1))), "k2"), ""},
		{"mark joins stay", func() logical.Node {
			j := semiOn(logical.MarkJoin, inner, "dim.k")
			j.MarkName = "m"
			return j
		}(), ""},
		{"outer joins are not looked into", semiOn(logical.SemiJoin, join(logical.LeftJoin, fact, dim, "dim", "k"), "dim.k"), ""},
	}, fact, dim, sub)
}

// ruleCase is a plan, and what rule makes of it: the plan's text, or ""
// when the rule leaves it alone.
type ruleCase struct {
	name string
	plan logical.Node
	want string
}

// runRuleCases applies r to each case's plan, checks the result's text
// and that it gives the same rows over random data in scans.
func runRuleCases(t *testing.T, r Rule, cases []ruleCase, scans ...*logical.Scan) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := applyOne(t, r, tc.plan, Config{})
			if tc.want == "" {
				if logical.Format(out) != logical.Format(tc.plan) {
					t.Fatalf("rewrote:\n%s", logical.Format(out))
				}
				return
			}
			checkFormat(t, out, tc.want)
			checkSameRows(t, tc.plan, out, scans...)
		})
	}
}

// checkSameRows runs both plans through the reference interpreter over
// random data and compares the results as multisets.
func checkSameRows(t *testing.T, before, after logical.Node, scans ...*logical.Scan) {
	t.Helper()
	for seed := range 20 {
		r := rand.New(rand.NewPCG(uint64(seed), 3))
		data := dataset{}
		for _, s := range scans {
			for range 5 + r.IntN(20) {
				var rw row
				for _, f := range s.Table.Fields {
					rw = append(rw, randomValue(r, f))
				}
				data[s.Source] = append(data[s.Source], rw)
			}
		}
		if got, want := sortedKeys(run(after, data)), sortedKeys(run(before, data)); !slices.Equal(got, want) {
			t.Fatalf("seed %d: rows differ\ngot  %v\nwant %v", seed, got, want)
		}
	}
}
