package optimizer

import (
	"testing"

	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// TestRulesTreatPluginTransformsAsOpaque: a transform may drop, add or
// reorder rows and read any input column, so no predicate, projection or
// limit may move below it; what is under it is still optimized.
func TestRulesTreatPluginTransformsAsOpaque(t *testing.T) {
	s := scan("t", 100, "a:int64", "b:int64", "s:string")
	under := filter(s, gt(col(s, "a"), lit(0)))
	out := &types.Schema{Fields: []types.Field{
		{Qualifier: "v", Name: "a", Type: types.Int64Type},
		{Qualifier: "v", Name: "score", Type: types.Float64Type, Nullable: true},
	}}
	tr := &logical.PluginTransform{Input: under, Function: "kit.score", Args: map[string]string{"mode": "x", "column": "s"}, Output: out}
	above := &logical.Limit{Input: project(filter(tr, gt(col(tr, "a"), lit(5))), "score", col(tr, "score")), N: 3}
	got, err := Optimize(planOf(write(above)), Config{})
	if err != nil {
		t.Fatal(err)
	}
	checkFormat(t, got.Sinks[0], `
		Write out [parquet out/] mode=error
		  Limit 3
		    Project v.score#1 AS score
		      Filter (v.a#0 > 5)
		        Transform kit.score(column=s, mode=x) -> a, score
		          Scan t [parquet data/t] columns=[a, b, s] filters=[(t.a#0 > 0)]`)
}

func TestValidateTransform(t *testing.T) {
	s := scan("t", 100, "a:int64")
	for _, tr := range []*logical.PluginTransform{
		{Input: s, Function: "score", Output: s.Schema()},
		{Input: s, Function: "kit.score", Output: &types.Schema{}},
	} {
		if err := Validate(tr); err == nil {
			t.Errorf("%+v validated", tr)
		}
	}
}
