package operator

import (
	"fmt"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

// skRow is a (string key, int key) row; nil is NULL.
type skRow struct {
	s *string
	k *int64
}

func sp(s string) *string { return &s }

func skBatch(schema *types.Schema, rows []skRow) arrow.RecordBatch {
	sb, kb := array.NewStringBuilder(mem), array.NewInt64Builder(mem)
	defer sb.Release()
	defer kb.Release()
	for _, r := range rows {
		if r.s == nil {
			sb.AppendNull()
		} else {
			sb.Append(*r.s)
		}
		if r.k == nil {
			kb.AppendNull()
		} else {
			kb.Append(*r.k)
		}
	}
	s, k := sb.NewArray(), kb.NewArray()
	rec := array.NewRecordBatch(schema.Arrow(), []arrow.Array{s, k}, int64(len(rows)))
	s.Release()
	k.Release()
	return rec
}

func (r skRow) String() string {
	s, k := "NULL", "NULL"
	if r.s != nil {
		s = fmt.Sprintf("%q", *r.s)
	}
	if r.k != nil {
		k = fmt.Sprint(*r.k)
	}
	return s + "," + k
}

// TestJoinCompositeKeys joins on (string, int) keys through the encoded
// hash table, with the first key null-safe and the second not, so a row
// pair matches when the strings are equal or both NULL and the ints are
// equal and not NULL.
func TestJoinCompositeKeys(t *testing.T) {
	schema := &types.Schema{Fields: []types.Field{{Name: "s", Type: types.StringType, Nullable: true}, {Name: "k", Type: types.Int64Type, Nullable: true}}}
	left := []skRow{{sp("a"), p(1)}, {nil, p(1)}, {sp("a"), nil}, {sp("b"), p(2)}, {nil, nil}, {sp("c"), p(3)}}
	right := []skRow{{sp("a"), p(1)}, {nil, p(1)}, {nil, p(1)}, {sp("a"), nil}, {sp("b"), p(3)}, {sp("c"), p(3)}}
	keys := []*expr.Expr{expr.BoundCol(0, schema.Fields[0]), expr.BoundCol(1, schema.Fields[1])}
	match := func(l, r skRow) bool {
		sEq := (l.s == nil && r.s == nil) || (l.s != nil && r.s != nil && *l.s == *r.s)
		return sEq && l.k != nil && r.k != nil && *l.k == *r.k
	}
	for _, typ := range []logical.JoinType{logical.InnerJoin, logical.FullJoin, logical.AntiJoin} {
		var want []string
		hitR := make([]bool, len(right))
		for _, l := range left {
			hit := false
			for ri, r := range right {
				if match(l, r) {
					hit, hitR[ri] = true, true
					if typ != logical.AntiJoin {
						want = append(want, l.String()+","+r.String())
					}
				}
			}
			switch {
			case !hit && typ == logical.FullJoin:
				want = append(want, l.String()+",NULL,NULL")
			case !hit && typ == logical.AntiJoin:
				want = append(want, l.String())
			}
		}
		for ri, r := range right {
			if !hitR[ri] && typ == logical.FullJoin {
				want = append(want, "NULL,NULL,"+r.String())
			}
		}
		slices.Sort(want)
		spec := &physical.JoinSpec{Type: typ, LeftKeys: keys, RightKeys: keys, NullSafe: []bool{true, false}}
		out := (&logical.Join{Left: schemaNode{schema}, Right: schemaNode{schema}, Type: typ}).Schema()
		j := &joinOp{probe: source(schema, skBatch(schema, left)), buildIn: source(schema, skBatch(schema, right)),
			spec: spec, schema: out.Arrow()}
		if err := j.compile(&Env{}); err != nil {
			t.Fatal(err)
		}
		mustEqual(t, sorted(rows(t, j)), want)
	}
}
