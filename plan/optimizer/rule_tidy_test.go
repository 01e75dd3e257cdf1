package optimizer

import (
	"testing"

	"github.com/drover-etl/drover/plan/logical"
)

func TestMergeProjects(t *testing.T) {
	s := scan("t", 100, "a:int64", "b:int64")
	lower := project(s, "x", add(col(s, "a"), lit(1)), "b", col(s, "b"), "p", twice(col(s, "b")))
	tests := []struct {
		name string
		in   logical.Node
		want string
	}{
		{"merged", project(lower, "y", add(col(lower, "x"), col(lower, "b")), "p", col(lower, "p")), `
			Project ((t.a#0 + 1) + t.b#1) AS y, test.twice(t.b#1) AS p
			  Scan t [parquet data/t] columns=[a, b]`},
		{"computation read twice", project(lower, "y", add(col(lower, "x"), col(lower, "x"))), `
			Project (x#0 + x#0) AS y
			  Project (t.a#0 + 1) AS x, t.b#1 AS b, test.twice(t.b#1) AS p
			    Scan t [parquet data/t] columns=[a, b]`},
		{"plugin dropped would change calls", project(lower, "b", col(lower, "b")), `
			Project b#1 AS b
			  Project (t.a#0 + 1) AS x, t.b#1 AS b, test.twice(t.b#1) AS p
			    Scan t [parquet data/t] columns=[a, b]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkFormat(t, applyOne(t, MergeProjects, tt.in, Config{}), tt.want)
		})
	}
}

func TestRemoveIdentityProjects(t *testing.T) {
	s := scan("t", 100, "a:int64", "b:int64")
	same := project(s, "a", col(s, "a"), "b", col(s, "b"))
	same.Qualifier = "view"
	renamed := project(s, "a", col(s, "a"), "c", col(s, "b"))
	swapped := project(s, "b", col(s, "b"), "a", col(s, "a"))
	checkFormat(t, applyOne(t, RemoveIdentityProjects, write(same), Config{}), `
		Write out [parquet out/] mode=error
		  Scan t [parquet data/t] columns=[a, b]`)
	for _, p := range []*logical.Project{renamed, swapped} {
		out := applyOne(t, RemoveIdentityProjects, write(p), Config{})
		if _, ok := out.Children()[0].(*logical.Project); !ok {
			t.Errorf("removed a non-identity project %s", p.Describe())
		}
	}
}

func TestPushLimitIntoUnion(t *testing.T) {
	a := scan("a", 100, "x:int64")
	b := scan("b", 100, "x:int64")
	u := &logical.Union{Inputs: []logical.Node{a, &logical.Limit{Input: b, N: 3}}}
	once := applyOne(t, PushLimitIntoUnion, &logical.Limit{Input: u, N: 10}, Config{})
	want := `
		Limit 10
		  Union all (2 inputs)
		    Limit 10
		      Scan a [parquet data/a] columns=[x]
		    Limit 3
		      Scan b [parquet data/b] columns=[x]`
	checkFormat(t, once, want)
	checkFormat(t, applyOne(t, PushLimitIntoUnion, once, Config{}), want)
}
