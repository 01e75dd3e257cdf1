package optimizer

import (
	"math/rand/v2"
	"testing"

	"github.com/drover-etl/drover/plan/logical"
)

// TestOptimizeIdempotent: optimizing an optimized plan changes nothing, so
// no rule undoes another or keeps growing the tree (explain of an explain).
func TestOptimizeIdempotent(t *testing.T) {
	for seed := range 300 {
		g := &planGen{r: rand.New(rand.NewPCG(uint64(seed), 11))}
		p := planOf(write(g.node(4)))
		once, err := Optimize(p, Config{})
		if err != nil {
			t.Fatal(err)
		}
		twice, err := Optimize(once, Config{})
		if err != nil {
			t.Fatal(err)
		}
		if a, b := logical.FormatPlan(once), logical.FormatPlan(twice); a != b {
			t.Fatalf("seed %d: second optimization changed the plan\nonce:\n%s\ntwice:\n%s", seed, a, b)
		}
	}
}
