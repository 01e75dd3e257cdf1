package operator

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

// roundTrip pushes a node through JSON, as task specs travel.
func roundTrip(t *testing.T, n *physical.Node) *physical.Node {
	t.Helper()
	b, err := json.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	var out physical.Node
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

func TestExpand(t *testing.T) {
	in := int64Schema("k", "v")
	k, v := expr.BoundCol(0, in.Fields[0]), expr.BoundCol(1, in.Fields[1])
	null := expr.Lit(types.NullValue(types.Int64Type))
	id := func(i int64) *expr.Expr { return expr.Lit(types.Int64Value(i)) }
	out := int64Schema("v", "k", "gid")
	n := roundTrip(t, &physical.Node{Op: physical.OpExpand, Schema: out, Expand: &physical.ExpandSpec{
		Projections: [][]*expr.Expr{{v, k, id(0)}, {v, null, id(1)}},
	}})
	recs := []arrowRec{int64Batch(in, ints(1, 2), ints(10, 20)), int64Batch(in, []*int64{nil}, ints(30))}
	op, err := newExpand(n, source(in, recs...), &Env{})
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, sorted(rows(t, op)), []string{"10,1,0", "10,NULL,1", "20,2,0", "20,NULL,1", "30,NULL,0", "30,NULL,1"})
}

func TestReplicate(t *testing.T) {
	in := int64Schema("x", "n")
	count := expr.BoundCol(1, in.Fields[1])
	n := roundTrip(t, &physical.Node{Op: physical.OpReplicate, Schema: in, Replicate: count})
	recs := []arrowRec{
		int64Batch(in, ints(1, 2, 3, 4), []*int64{p(2), p(0), nil, p(-1)}),
		int64Batch(in, ints(5, 6), ints(7, 1)),
	}
	op, err := newReplicate(n, source(in, recs...), &Env{BatchRows: 3})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for range 2 {
		want = append(want, "1,2")
	}
	for range 7 {
		want = append(want, "5,7")
	}
	want = append(want, "6,1")
	got := rows(t, op)
	mustEqual(t, got, want)
}

// TestReplicateBatchSize: a large count comes out in batches of the target
// size, not one huge batch.
func TestReplicateBatchSize(t *testing.T) {
	in := int64Schema("x", "n")
	n := &physical.Node{Op: physical.OpReplicate, Schema: in, Replicate: expr.BoundCol(1, in.Fields[1])}
	op, err := newReplicate(n, source(in, int64Batch(in, ints(9), ints(10))), &Env{BatchRows: 4})
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int64
	for {
		rec, err := op.Next(context.Background())
		if err != nil {
			break
		}
		sizes = append(sizes, rec.NumRows())
		rec.Release()
	}
	if fmt.Sprint(sizes) != "[4 4 2]" {
		t.Errorf("batch sizes %v", sizes)
	}
}

func TestLimitOffset(t *testing.T) {
	in := int64Schema("x")
	batches := func() []arrowRec { // 0..9 in batches of 3, 3, 4
		return []arrowRec{int64Batch(in, ints(0, 1, 2)), int64Batch(in, ints(3, 4, 5)), int64Batch(in, ints(6, 7, 8, 9))}
	}
	seq := func(from, to int) []string {
		var out []string
		for i := from; i < to; i++ {
			out = append(out, strconv.Itoa(i))
		}
		return out
	}
	for _, tc := range []struct {
		limit, offset int64
		want          []string
	}{
		{3, 0, seq(0, 3)},
		{4, 2, seq(2, 6)},
		{2, 3, seq(3, 5)},
		{100, 8, seq(8, 10)},
		{-1, 5, seq(5, 10)},
		{-1, 0, seq(0, 10)},
		{5, 10, nil},
		{-1, 12, nil},
		{0, 2, nil},
	} {
		n := roundTrip(t, &physical.Node{Op: physical.OpLimit, Schema: in, Limit: tc.limit, Offset: tc.offset})
		got := rows(t, newLimit(n, source(in, batches()...)))
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("limit %d offset %d: got %v, want %v", tc.limit, tc.offset, got, tc.want)
		}
	}
}

func TestTopNOffset(t *testing.T) {
	in := int64Schema("x")
	keys := []logical.SortKey{{Expr: expr.BoundCol(0, in.Fields[0])}}
	for _, tc := range []struct {
		limit, offset int64
		want          string
	}{
		{3, 2, "[2 3 4]"},
		{3, 8, "[8 9]"},
		{3, 20, "[]"},
	} {
		n := roundTrip(t, &physical.Node{Op: physical.OpTopN, Schema: in, Sort: &physical.SortSpec{Keys: keys}, Limit: tc.limit, Offset: tc.offset})
		src := source(in, int64Batch(in, ints(9, 3, 5, 1)), int64Batch(in, ints(0, 8, 2, 7, 6, 4)))
		top, err := newTopN(n, src, &Env{BatchRows: 2})
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(rows(t, top)); got != tc.want {
			t.Errorf("top %d offset %d: got %s, want %s", tc.limit, tc.offset, got, tc.want)
		}
	}
}

func TestValuesOperator(t *testing.T) {
	v, err := logical.NewValues([][]*expr.Expr{
		{expr.Lit(types.Int64Value(1)), expr.Lit(types.StringValue("a"))},
		{expr.Lit(types.NullValue(types.Int64Type)), expr.Lit(types.NullValue(types.StringType))},
	}, []string{"n", "s"}, "")
	if err != nil {
		t.Fatal(err)
	}
	n := roundTrip(t, &physical.Node{Op: physical.OpValues, Schema: v.Schema(), Values: &physical.ValuesSpec{Rows: v.Rows}})
	for part, want := range map[int][]string{0: {`1,"a"`, "NULL,NULL"}, 1: nil} {
		r, err := newValues(context.Background(), n, &Env{}, part)
		if err != nil {
			t.Fatal(err)
		}
		if got := rows(t, r); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("partition %d: got %v, want %v", part, got, want)
		}
	}
	// SELECT without FROM: one row, no columns.
	one := logical.OneRow()
	r, err := newValues(context.Background(), &physical.Node{Op: physical.OpValues, Schema: one.Schema(), Values: &physical.ValuesSpec{Rows: one.Rows}}, &Env{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := rows(t, r); len(got) != 1 {
		t.Errorf("one row: got %d rows", len(got))
	}
}
