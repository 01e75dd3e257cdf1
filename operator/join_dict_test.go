package operator

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

func stringArray(vals []*string) *array.String {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	for _, v := range vals {
		if v == nil {
			b.AppendNull()
		} else {
			b.Append(*v)
		}
	}
	return b.NewArray().(*array.String)
}

// TestDictEncodeStrings: the dictionary holds the same values (NULLs,
// empty strings, sliced input) or is not made for many distinct values.
func TestDictEncodeStrings(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 3))
	var vals []*string
	for range 5000 {
		switch r.IntN(8) {
		case 0:
			vals = append(vals, nil)
		case 1:
			vals = append(vals, sp(""))
		default:
			vals = append(vals, sp(fmt.Sprintf("v%d", r.IntN(40))))
		}
	}
	whole := stringArray(vals)
	defer whole.Release()
	for _, s := range []*array.String{whole, array.NewSlice(whole, 37, 4100).(*array.String)} {
		d := dictEncodeStrings(s)
		if d == nil {
			t.Fatal("not encoded")
		}
		p, err := plain(d)
		if err != nil {
			t.Fatal(err)
		}
		if !array.Equal(p, s) {
			t.Fatal("dictionary values differ from the strings")
		}
		if d.NullN() != s.NullN() {
			t.Fatalf("nulls %d, want %d", d.NullN(), s.NullN())
		}
		p.Release()
		d.Release()
	}
	var many []*string
	for i := range 5000 {
		many = append(many, sp(fmt.Sprint(i%1000)))
	}
	m := stringArray(many)
	defer m.Release()
	if dictEncodeStrings(m) != nil {
		t.Fatal("1000 distinct values in 5000 rows encoded")
	}
	var allNull []*string
	for range 2000 {
		allNull = append(allNull, nil)
	}
	an := stringArray(allNull)
	defer an.Release()
	d := dictEncodeStrings(an)
	if d == nil || d.NullN() != 2000 {
		t.Fatal("all-NULL column not encoded as all NULL")
	}
	d.Release()
}

// TestJoinDictBuildMatchesPlain runs every join type over a build side
// with a repetitive string column (NULLs among them), encoded and not:
// the rows must be the same, and the encoded run must really carry a
// dictionary.
func TestJoinDictBuildMatchesPlain(t *testing.T) {
	left := int64Schema("k", "a")
	right := &types.Schema{Fields: []types.Field{{Name: "k", Type: types.Int64Type, Nullable: true},
		{Name: "s", Type: types.StringType, Nullable: true}}}
	r := rand.New(rand.NewPCG(4, 4))
	var lk, la []*int64
	for range 3000 {
		lk, la = append(lk, keyOrNull(r, 2500)), append(la, p(int64(r.IntN(9))))
	}
	var rk []*int64
	var rs []*string
	for i := range 2000 {
		rk = append(rk, p(int64(i)))
		if i%11 == 0 {
			rk[i] = p(int64(i % 50)) // some duplicate keys
		}
		if r.IntN(10) == 0 {
			rs = append(rs, nil)
		} else {
			rs = append(rs, sp([]string{"1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"}[r.IntN(5)]))
		}
	}
	probe := func() batch.Reader {
		var recs []arrow.RecordBatch
		for lo := 0; lo < len(lk); lo += 700 {
			hi := min(lo+700, len(lk))
			recs = append(recs, int64Batch(left, lk[lo:hi], la[lo:hi]))
		}
		return source(left, recs...)
	}
	buildRecs := func() batch.Reader {
		var recs []arrow.RecordBatch
		for lo := 0; lo < len(rk); lo += 900 {
			hi := min(lo+900, len(rk))
			kb := int64Batch(int64Schema("k"), rk[lo:hi])
			s := stringArray(rs[lo:hi])
			recs = append(recs, array.NewRecordBatch(right.Arrow(), []arrow.Array{kb.Column(0), s}, int64(hi-lo)))
			s.Release()
			kb.Release()
		}
		return source(right, recs...)
	}
	run := func(typ logical.JoinType, on bool) ([]string, bool) {
		defer func(old bool) { dictBuildStrings = old }(dictBuildStrings)
		dictBuildStrings = on
		spec := &physical.JoinSpec{Type: typ, MarkName: "m",
			LeftKeys: []*expr.Expr{expr.BoundCol(0, left.Fields[0])}, RightKeys: []*expr.Expr{expr.BoundCol(0, right.Fields[0])}}
		out := (&logical.Join{Left: schemaNode{left}, Right: schemaNode{right}, Type: typ, MarkName: "m"}).Schema()
		j := &joinOp{probe: probe(), buildIn: buildRecs(), spec: spec, schema: out.Arrow(), batchRows: 512}
		if err := j.compile(&Env{}); err != nil {
			t.Fatal(err)
		}
		defer j.Close()
		recs, err := batch.ReadAll(t.Context(), j)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		dict := false
		for _, rec := range recs {
			for c := range rec.NumCols() {
				_, ok := rec.Column(int(c)).(*array.Dictionary)
				dict = dict || ok
			}
			for i := range int(rec.NumRows()) {
				cells := make([]string, rec.NumCols())
				for c := range cells {
					cells[c] = eval.ValueAt(rec.Column(c), i).String()
				}
				got = append(got, strings.Join(cells, ","))
			}
			rec.Release()
		}
		return sorted(got), dict
	}
	for _, typ := range allJoinTypes {
		want, _ := run(typ, false)
		got, dict := run(typ, true)
		mustEqual(t, got, want)
		if typ.EmitsRight() && !dict {
			t.Errorf("%s: no dictionary column in the output", typ)
		}
	}
}

func keyOrNull(r *rand.Rand, n int) *int64 {
	if r.IntN(20) == 0 {
		return nil
	}
	return p(int64(r.IntN(n)))
}

// TestPlainMatchesArrowTake: unpacking a dictionary (no NULL indices:
// the engine's gather; with NULLs: arrow's take) gives arrow's answer,
// sliced too.
func TestPlainMatchesArrowTake(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	for _, nulls := range []bool{false, true} {
		var vals []*string
		for range 3000 {
			if nulls && r.IntN(6) == 0 {
				vals = append(vals, nil)
			} else {
				vals = append(vals, sp(fmt.Sprintf("value-%d", r.IntN(30))))
			}
		}
		s := stringArray(vals)
		d := dictEncodeStrings(s).(*array.Dictionary)
		for _, a := range []*array.Dictionary{d, array.NewSlice(d, 101, 2900).(*array.Dictionary)} {
			got, err := plain(a)
			if err != nil {
				t.Fatal(err)
			}
			want, err := compute.TakeArray(t.Context(), a.Dictionary(), a.Indices())
			if err != nil {
				t.Fatal(err)
			}
			if !array.Equal(got, want) {
				t.Fatalf("nulls=%v: plain differs from arrow's take", nulls)
			}
			got.Release()
			want.Release()
		}
		d.Release()
		s.Release()
	}
}

// BenchmarkHashJoinStringBuild probes 1M rows against 64K build rows of
// (unique key, one of five strings), the build strings held plain or as
// a dictionary, and groups the output by the string as Q-style reports
// do (lineitem ⋈ orders by o_orderpriority).
func BenchmarkHashJoinStringBuild(b *testing.B) {
	schema, probe := benchBatches(1 << 16)
	right := &types.Schema{Fields: []types.Field{{Name: "k", Type: types.Int64Type}, {Name: "s", Type: types.StringType}}}
	kb, sb := array.NewInt64Builder(mem), array.NewStringBuilder(mem)
	for k := range 1 << 16 {
		kb.Append(int64(k))
		sb.Append([]string{"1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"}[k%5])
	}
	k, s := kb.NewArray(), sb.NewArray()
	build := array.NewRecordBatch(right.Arrow(), []arrow.Array{k, s}, 1<<16)
	k.Release()
	s.Release()
	defer build.Release()
	spec := &physical.JoinSpec{Type: logical.InnerJoin,
		LeftKeys: []*expr.Expr{expr.BoundCol(0, schema.Fields[0])}, RightKeys: []*expr.Expr{expr.BoundCol(0, right.Fields[0])}}
	out := schema.Concat(right)
	key := expr.BoundCol(3, out.Fields[3])
	agg := &physical.Node{Op: physical.OpHashAgg, Schema: &types.Schema{Fields: []types.Field{out.Fields[3],
		{Name: "n", Type: types.Int64Type}}},
		Agg: &physical.AggSpec{Mode: physical.AggComplete, GroupBy: []*expr.Expr{key},
			Aggs: []logical.AggExpr{{Func: expr.AggCountStar, Name: "n", Type: types.Int64Type}}}}
	for _, on := range []bool{false, true} {
		b.Run(fmt.Sprintf("dict=%v", on), func(b *testing.B) {
			defer func(old bool) { dictBuildStrings = old }(dictBuildStrings)
			dictBuildStrings = on
			b.ReportAllocs()
			for b.Loop() {
				j := &joinOp{probe: source(schema, probe...), buildIn: source(right, build), spec: spec, schema: out.Arrow()}
				if err := j.compile(&Env{}); err != nil {
					b.Fatal(err)
				}
				h, err := newHashAgg(agg, j, &Env{})
				if err != nil {
					b.Fatal(err)
				}
				drainBench(b, h)
			}
		})
	}
}
