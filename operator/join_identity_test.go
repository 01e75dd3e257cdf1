package operator

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

// TestJoinUniqueBuildAgainstReference: build keys unique, probe keys
// drawn from them, so whole probe batches pair once each in order and
// the probe columns are passed on uncopied; NULL keys, misses, filters
// and every join type leave some batches on the gathering path. Both
// paths must give the reference answer.
func TestJoinUniqueBuildAgainstReference(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 9))
	for iter := range 200 {
		nb := r.IntN(12)
		var right []joinRow
		for k := range nb {
			right = append(right, joinRow{p(int64(k)), p(int64(r.IntN(100)))})
		}
		r.Shuffle(len(right), func(i, j int) { right[i], right[j] = right[j], right[i] })
		miss := r.IntN(3) == 0 // some probe rows have no match or a NULL key
		var left []joinRow
		for range r.IntN(30) {
			var k *int64
			switch {
			case nb == 0 || (miss && r.IntN(5) == 0):
				if r.IntN(2) == 0 {
					k = p(int64(nb + r.IntN(4)))
				}
			default:
				k = p(int64(r.IntN(nb)))
			}
			left = append(left, joinRow{k, p(int64(r.IntN(100)))})
		}
		c := joinCase{typ: allJoinTypes[r.IntN(len(allJoinTypes))], keyed: true, filter: r.IntN(3) == 0}
		got := runJoin(t, c, left, right, 1+r.IntN(5))
		if want := refJoin(c, left, right); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("iteration %d, %s:\ngot  %v\nwant %v", iter, c, got, want)
		}
	}
}

func TestIsIdentity(t *testing.T) {
	for _, tc := range []struct {
		idx  []int32
		want bool
	}{{nil, true}, {[]int32{0}, true}, {[]int32{0, 1, 2}, true}, {[]int32{1}, false},
		{[]int32{0, 2, 1}, false}, {[]int32{0, 0}, false}, {[]int32{0, 1, 3}, false}} {
		if got := isIdentity(tc.idx); got != tc.want {
			t.Errorf("isIdentity(%v) = %v", tc.idx, got)
		}
	}
}

// BenchmarkHashJoinUniqueBuild probes 1M rows against a 64K-row build
// side of unique keys that every probe key matches (a foreign key join,
// like lineitem ⋈ orders): the probe columns go out uncopied.
func BenchmarkHashJoinUniqueBuild(b *testing.B) {
	schema, probe := benchBatches(1 << 16)
	kb, vb := array.NewInt64Builder(mem), array.NewFloat64Builder(mem)
	for k := range 1 << 16 {
		kb.Append(int64(k))
		vb.Append(float64(k))
	}
	k, v := kb.NewArray(), vb.NewArray()
	build := array.NewRecordBatch(schema.Arrow(), []arrow.Array{k, v}, 1<<16)
	k.Release()
	v.Release()
	defer build.Release()
	key := expr.BoundCol(0, types.Field{Name: "k", Type: types.Int64Type})
	spec := &physical.JoinSpec{Type: logical.InnerJoin, LeftKeys: []*expr.Expr{key}, RightKeys: []*expr.Expr{key}}
	out := schema.Concat(schema)
	b.SetBytes(benchRows * 16)
	for b.Loop() {
		j := &joinOp{probe: source(schema, probe...), buildIn: source(schema, build), spec: spec, schema: out.Arrow()}
		if err := j.compile(&Env{}); err != nil {
			b.Fatal(err)
		}
		drainBench(b, j)
	}
}
