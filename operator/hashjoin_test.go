package operator

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

var (
	joinLeftSchema  = int64Schema("k", "a")
	joinRightSchema = int64Schema("k", "b")
)

// joinCase is one join to run: the operator's output is compared with
// refJoin, a row-at-a-time reference of SQL semantics.
type joinCase struct {
	typ      logical.JoinType
	keyed    bool // join on k = k (else a nested loop)
	nullSafe bool
	filter   bool // residual a + b > 215 (NULL when either is NULL)
}

func (c joinCase) String() string {
	return fmt.Sprintf("%s/keyed=%v/nullsafe=%v/filter=%v", c.typ, c.keyed, c.nullSafe, c.filter)
}

func (c joinCase) spec() *physical.JoinSpec {
	s := &physical.JoinSpec{Type: c.typ, MarkName: "m"}
	if c.keyed {
		s.LeftKeys = []*expr.Expr{expr.BoundCol(0, joinLeftSchema.Fields[0])}
		s.RightKeys = []*expr.Expr{expr.BoundCol(0, joinRightSchema.Fields[0])}
		if c.nullSafe {
			s.NullSafe = []bool{true}
		}
	}
	if c.filter {
		both := joinLeftSchema.Concat(joinRightSchema)
		sum := expr.Call(expr.FnAdd, expr.BoundCol(1, both.Fields[1]), expr.BoundCol(3, both.Fields[3]))
		sum.Type, sum.Nullable = types.Int64Type, true
		gt := expr.Call(expr.FnGt, sum, expr.Lit(types.Int64Value(215)))
		gt.Type, gt.Nullable = types.BoolType, true
		s.Filter = gt
	}
	return s
}

func (c joinCase) schema() *types.Schema {
	j := &logical.Join{Left: schemaNode{joinLeftSchema}, Right: schemaNode{joinRightSchema}, Type: c.typ, MarkName: "m"}
	return j.Schema()
}

// schemaNode is a logical leaf that only has a schema, for Join.Schema.
type schemaNode struct{ s *types.Schema }

func (n schemaNode) Schema() *types.Schema                     { return n.s }
func (n schemaNode) Children() []logical.Node                  { return nil }
func (n schemaNode) WithChildren(...logical.Node) logical.Node { return n }
func (n schemaNode) Describe() string                          { return "leaf" }

type joinRow struct{ k, v *int64 }

func str(v *int64) string {
	if v == nil {
		return "NULL"
	}
	return fmt.Sprint(*v)
}

// refJoin joins row by row, as SQL defines it.
func refJoin(c joinCase, left, right []joinRow) []string {
	matches := func(l, r joinRow) bool {
		if c.keyed {
			if l.k == nil || r.k == nil {
				if !c.nullSafe || l.k != nil || r.k != nil {
					return false
				}
			} else if *l.k != *r.k {
				return false
			}
		}
		if c.filter {
			return l.v != nil && r.v != nil && *l.v+*r.v > 215
		}
		return true
	}
	var out []string
	rightHit := make([]bool, len(right))
	for _, l := range left {
		hit := false
		for ri, r := range right {
			if !matches(l, r) {
				continue
			}
			hit, rightHit[ri] = true, true
			if c.typ.EmitsRight() {
				out = append(out, strings.Join([]string{str(l.k), str(l.v), str(r.k), str(r.v)}, ","))
			}
		}
		lr := str(l.k) + "," + str(l.v)
		switch {
		case c.typ == logical.SemiJoin && hit, c.typ == logical.AntiJoin && !hit:
			out = append(out, lr)
		case (c.typ == logical.LeftJoin || c.typ == logical.FullJoin) && !hit:
			out = append(out, lr+",NULL,NULL")
		case c.typ == logical.MarkJoin:
			out = append(out, fmt.Sprintf("%s,%v", lr, hit))
		}
	}
	if c.typ.KeepsUnmatchedRight() {
		for ri, r := range right {
			if !rightHit[ri] {
				out = append(out, "NULL,NULL,"+str(r.k)+","+str(r.v))
			}
		}
	}
	return sorted(out)
}

// batches splits rows into batches of at most size rows.
func batches(s *types.Schema, rs []joinRow, size int) []arrow.RecordBatch {
	var out []arrow.RecordBatch
	for len(rs) > 0 {
		n := min(size, len(rs))
		var ks, vs []*int64
		for _, r := range rs[:n] {
			ks, vs = append(ks, r.k), append(vs, r.v)
		}
		out = append(out, int64Batch(s, ks, vs))
		rs = rs[n:]
	}
	return out
}

func runJoin(t *testing.T, c joinCase, left, right []joinRow, batchRows int) []string {
	t.Helper()
	spec, out := c.spec(), c.schema()
	j := &joinOp{probe: source(joinLeftSchema, batches(joinLeftSchema, left, 3)...),
		buildIn: source(joinRightSchema, batches(joinRightSchema, right, 2)...),
		spec:    spec, schema: out.Arrow(), batchRows: batchRows}
	if err := j.compile(&Env{}); err != nil {
		t.Fatal(err)
	}
	return sorted(rows(t, j))
}

var allJoinTypes = []logical.JoinType{logical.InnerJoin, logical.LeftJoin, logical.SemiJoin, logical.AntiJoin,
	logical.RightJoin, logical.FullJoin, logical.MarkJoin}

// TestJoinAgainstReference runs every join type, hashed and nested-loop,
// with and without a residual filter and null-safe keys, over inputs with
// NULL keys, duplicates, unmatched rows on both sides, and empty sides.
func TestJoinAgainstReference(t *testing.T) {
	left := []joinRow{{p(1), p(10)}, {p(2), p(20)}, {p(2), p(21)}, {nil, p(30)}, {p(4), p(40)}, {nil, nil}, {p(1), nil}}
	right := []joinRow{{p(2), p(200)}, {p(2), p(201)}, {p(1), p(100)}, {nil, p(300)}, {p(5), p(500)}, {p(1), nil}}
	inputs := []struct {
		name        string
		left, right []joinRow
	}{{"both", left, right}, {"empty left", nil, right}, {"empty right", left, nil}, {"both empty", nil, nil}}
	for _, in := range inputs {
		for _, typ := range allJoinTypes {
			for _, keyed := range []bool{true, false} {
				for _, filter := range []bool{false, true} {
					for _, ns := range []bool{false, true} {
						c := joinCase{typ: typ, keyed: keyed, filter: filter, nullSafe: ns && keyed}
						if ns && !keyed {
							continue
						}
						t.Run(in.name+"/"+c.String(), func(t *testing.T) {
							mustEqual(t, runJoin(t, c, in.left, in.right, 2), refJoin(c, in.left, in.right))
						})
					}
				}
			}
		}
	}
}

func TestHashJoinTypes(t *testing.T) {
	left := []joinRow{{p(1), p(10)}, {p(2), p(20)}, {p(2), p(21)}, {nil, p(30)}, {p(4), p(40)}}
	right := []joinRow{{p(2), p(200)}, {p(2), p(201)}, {p(1), p(100)}, {nil, p(300)}, {p(5), p(500)}}
	run := func(typ logical.JoinType) []string {
		return runJoin(t, joinCase{typ: typ, keyed: true}, left, right, 0)
	}
	mustEqual(t, run(logical.InnerJoin), []string{"1,10,1,100", "2,20,2,200", "2,20,2,201", "2,21,2,200", "2,21,2,201"})
	mustEqual(t, run(logical.LeftJoin), []string{"1,10,1,100", "2,20,2,200", "2,20,2,201", "2,21,2,200", "2,21,2,201", "4,40,NULL,NULL", "NULL,30,NULL,NULL"})
	mustEqual(t, run(logical.SemiJoin), []string{"1,10", "2,20", "2,21"})
	mustEqual(t, run(logical.AntiJoin), []string{"4,40", "NULL,30"})
	mustEqual(t, run(logical.RightJoin), []string{"1,10,1,100", "2,20,2,200", "2,20,2,201", "2,21,2,200", "2,21,2,201", "NULL,NULL,5,500", "NULL,NULL,NULL,300"})
	mustEqual(t, run(logical.FullJoin), []string{"1,10,1,100", "2,20,2,200", "2,20,2,201", "2,21,2,200", "2,21,2,201", "4,40,NULL,NULL", "NULL,30,NULL,NULL", "NULL,NULL,5,500", "NULL,NULL,NULL,300"})
	mustEqual(t, run(logical.MarkJoin), []string{"1,10,true", "2,20,true", "2,21,true", "4,40,false", "NULL,30,false"})
}

// TestCrossJoinStreams checks a cross product larger than one chunk comes
// out whole, in batches no larger than a chunk.
func TestCrossJoinStreams(t *testing.T) {
	var left, right []joinRow
	for i := range 700 {
		left = append(left, joinRow{p(int64(i)), p(1)})
	}
	for i := range 300 {
		right = append(right, joinRow{p(int64(i)), p(2)})
	}
	c := joinCase{typ: logical.InnerJoin}
	j := &joinOp{probe: source(joinLeftSchema, batches(joinLeftSchema, left, 700)...),
		buildIn: source(joinRightSchema, batches(joinRightSchema, right, 300)...),
		spec:    c.spec(), schema: c.schema().Arrow()}
	if err := j.compile(&Env{}); err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	total := 0
	for {
		rec, err := j.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if rec.NumRows() > maxPairs {
			t.Fatalf("batch of %d rows, want at most %d", rec.NumRows(), maxPairs)
		}
		total += int(rec.NumRows())
		rec.Release()
	}
	if total != 700*300 {
		t.Fatalf("cross join gave %d rows, want %d", total, 700*300)
	}
}

// TestHashJoinChunksFanOut joins on a key shared by many rows on both
// sides: the pairs come out in bounded chunks, and outer joins still see
// every chunk's matches before emitting unmatched rows.
func TestHashJoinChunksFanOut(t *testing.T) {
	var left, right []joinRow
	for i := range 700 {
		k := int64(1)
		if i%100 == 0 {
			k = 2 // unmatched
		}
		left = append(left, joinRow{p(k), p(int64(i))})
	}
	for i := range 450 {
		right = append(right, joinRow{p(1), p(int64(i))})
	}
	right = append(right, joinRow{p(3), p(0)})
	for _, typ := range []logical.JoinType{logical.InnerJoin, logical.FullJoin, logical.MarkJoin} {
		c := joinCase{typ: typ, keyed: true}
		j := &joinOp{probe: source(joinLeftSchema, batches(joinLeftSchema, left, 700)...),
			buildIn: source(joinRightSchema, batches(joinRightSchema, right, 451)...),
			spec:    c.spec(), schema: c.schema().Arrow()}
		if err := j.compile(&Env{}); err != nil {
			t.Fatal(err)
		}
		total, batches := 0, 0
		for {
			rec, err := j.Next(context.Background())
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if rec.NumRows() > maxHashPairs+450 {
				t.Fatalf("%s: batch of %d rows", typ, rec.NumRows())
			}
			total += int(rec.NumRows())
			batches++
			rec.Release()
		}
		j.Close()
		want := map[logical.JoinType]int{logical.InnerJoin: 693 * 450, logical.FullJoin: 693*450 + 7 + 1, logical.MarkJoin: 700}[typ]
		if total != want {
			t.Fatalf("%s: %d rows, want %d", typ, total, want)
		}
		if typ == logical.InnerJoin && batches < 2 {
			t.Fatalf("%d pairs in %d batch(es): not chunked", total, batches)
		}
	}
}

// TestJoinRandomized compares every join type with the reference over
// random inputs (small key ranges, NULLs, duplicates, empty sides).
func TestJoinRandomized(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	val := func(n int) *int64 {
		if r.IntN(6) == 0 {
			return nil
		}
		return p(int64(r.IntN(n)))
	}
	for iter := range 150 {
		var left, right []joinRow
		for range r.IntN(40) {
			left = append(left, joinRow{val(8), val(200)})
		}
		for range r.IntN(30) {
			right = append(right, joinRow{val(8), val(200)})
		}
		keyed := r.IntN(3) != 0
		c := joinCase{typ: allJoinTypes[r.IntN(len(allJoinTypes))], keyed: keyed, filter: r.IntN(2) == 0, nullSafe: keyed && r.IntN(3) == 0}
		got := runJoin(t, c, left, right, 1+r.IntN(5))
		if want := refJoin(c, left, right); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("iteration %d, %s:\ngot  %v\nwant %v", iter, c, got, want)
		}
	}
}
