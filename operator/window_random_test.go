package operator

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/internal/windowref"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// randomInput makes rows with few partition values (and NULL), order keys
// with ties and NULLs, and arguments of several types with NULLs.
func randomInput(rng *rand.Rand, n int) winInput {
	s := &types.Schema{Fields: []types.Field{
		{Name: "p", Type: types.Int64Type, Nullable: true},
		{Name: "o", Type: types.Int64Type, Nullable: true},
		{Name: "id", Type: types.Int64Type},
		{Name: "x", Type: types.Int64Type, Nullable: true},
		{Name: "d", Type: types.DecimalOf(10, 2), Nullable: true},
		{Name: "f", Type: types.Float64Type, Nullable: true},
		{Name: "s", Type: types.StringType, Nullable: true},
		{Name: "ts", Type: types.TimestampType, Nullable: true},
		{Name: "day", Type: types.DateType, Nullable: true},
	}}
	maybe := func(v types.Value) types.Value {
		if rng.IntN(5) == 0 {
			return nv()
		}
		return v
	}
	in := winInput{schema: s}
	for i := range n {
		in.rows = append(in.rows, windowref.Row{
			maybe(iv(int64(rng.IntN(4)))), maybe(iv(int64(rng.IntN(12)))), iv(int64(i)),
			maybe(iv(int64(rng.IntN(100) - 30))), maybe(dec(int64(rng.IntN(10000)))),
			maybe(fv(float64(rng.IntN(1000)) / 8)), maybe(sv(fmt.Sprintf("s%02d", rng.IntN(30)))),
			maybe(types.TimestampValue(int64(rng.IntN(1e6)) * 1e6)), maybe(types.DateValue(int32(19000 + rng.IntN(400)))),
		})
	}
	return in
}

func randomBound(rng *rand.Rand, unit logical.FrameUnit, offsets, start bool) logical.FrameBound {
	kinds := []logical.BoundKind{logical.UnboundedPreceding, logical.CurrentRow, logical.UnboundedFollowing}
	if offsets {
		kinds = append(kinds, logical.Preceding, logical.Following)
	}
	for {
		k := kinds[rng.IntN(len(kinds))]
		if (start && k == logical.UnboundedFollowing) || (!start && k == logical.UnboundedPreceding) {
			continue
		}
		return logical.FrameBound{Kind: k, Offset: types.Int64Value(int64(rng.IntN(4)))}
	}
}

func randomFrame(rng *rand.Rand, units []logical.FrameUnit, offsets bool) *logical.WindowFrame {
	for {
		unit := units[rng.IntN(len(units))]
		fr := &logical.WindowFrame{Unit: unit, Start: randomBound(rng, unit, offsets, true), End: randomBound(rng, unit, offsets, false)}
		if fr.Start.Kind <= fr.End.Kind {
			return fr
		}
	}
}

// TestWindowMatchesReference compares random window specifications over
// random data, in batches of random sizes, with the naive reference.
// Unique order keys (o, id) allow every function; order by o alone has
// peers, so only functions whose values do not depend on the order among
// peers are checked there (ranks, aggregates over RANGE/GROUPS frames,
// including RANGE offsets).
func TestWindowMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	x, d, f, s := expr.Col("", "x"), expr.Col("", "d"), expr.Col("", "f"), expr.Col("", "s")
	ts, day := expr.Col("", "ts"), expr.Col("", "day")
	for iter := range 60 {
		in := randomInput(rng, 20+rng.IntN(160))
		unique := iter%2 == 0
		var order []logical.SortKey
		okey := logical.SortKey{Expr: expr.Col("", "o"), Desc: rng.IntN(2) == 0, NullsFirst: rng.IntN(2) == 0}
		order = append(order, okey)
		units := []logical.FrameUnit{logical.FrameRange, logical.FrameGroups}
		if unique {
			order = append(order, logical.SortKey{Expr: expr.Col("", "id")})
			units = append(units, logical.FrameRows)
		}
		frameOf := func() *logical.WindowFrame {
			fr := randomFrame(rng, units, true)
			if fr.Unit == logical.FrameRange && unique {
				fr = randomFrame(rng, []logical.FrameUnit{logical.FrameRange}, false)
			}
			return fr
		}
		agg := func(name string, arg *expr.Expr, distinct bool) logical.WindowFuncSpec {
			sp := logical.WindowFuncSpec{Name: name, Args: []*expr.Expr{arg}, Distinct: distinct, Frame: frameOf()}
			if arg == nil {
				sp.Args, sp.Star = nil, true
			}
			return sp
		}
		pool := []logical.WindowFuncSpec{
			spec("rank", ""), spec("dense_rank", ""), spec("percent_rank", ""), spec("cume_dist", ""),
			agg("sum", x, false), agg("sum", d, false), agg("avg", x, false), agg("avg", f, false), agg("sum", f, false),
			agg("min", s, false), agg("max", d, false), agg("min", x, false), agg("max", f, false),
			agg("count", x, false), agg("count", nil, false), agg("count", x, true), agg("sum", d, true),
			agg("max", ts, false), agg("min", day, false), agg("count", s, true),
		}
		if unique {
			ign := func(sp logical.WindowFuncSpec) logical.WindowFuncSpec { sp.IgnoreNulls = true; return sp }
			fr := func(sp logical.WindowFuncSpec) logical.WindowFuncSpec { sp.Frame = frameOf(); return sp }
			pool = append(pool, spec("row_number", ""), spec("ntile", "", lit(int64(1+rng.IntN(5)))),
				spec("lag", "", x, lit(2), lit(-1)), spec("lead", "", s), spec("lead", "", x, lit(3), lit(7)), ign(spec("lag", "", x, lit(2))), ign(spec("lead", "", d, lit(2))),
				fr(spec("first_value", "", x)), fr(spec("last_value", "", s)), fr(spec("nth_value", "", d, lit(2))),
				ign(fr(spec("first_value", "", x))), ign(fr(spec("last_value", "", x))), ign(fr(spec("nth_value", "", x, lit(2)))),
				spec("lag", "", ts, lit(1)), fr(spec("last_value", "", day)), ign(fr(spec("first_value", "", ts))))
		}
		var specs []logical.WindowFuncSpec
		for k := range 1 + rng.IntN(5) {
			sp := pool[rng.IntN(len(pool))]
			sp.Alias = fmt.Sprintf("w%d", k)
			specs = append(specs, sp)
		}
		var part []string
		if rng.IntN(4) > 0 {
			part = []string{"p"}
		}
		w := newTestWindow(t, in, part, order, specs)
		rows := []int{1, 2, 3, 7, 64}[rng.IntN(5)]
		t.Run(fmt.Sprintf("%d", iter), func(t *testing.T) {
			got, err := runWindowOp(t, in, w, rows, nil)
			if err != nil {
				t.Fatalf("%s: %v", w.Describe(), err)
			}
			want := windowref.Eval(w, in.rows)
			if g, wn := renderSorted(got), renderSorted(want); fmt.Sprint(g) != fmt.Sprint(wn) {
				for i := range g {
					if i >= len(wn) || g[i] != wn[i] {
						t.Fatalf("%s (batch %d):\nfirst difference at %d:\ngot  %s\nwant %s", w.Describe(), rows, i, g[i], wn[min(i, len(wn)-1)])
					}
				}
				t.Fatalf("%s: %d rows, want %d", w.Describe(), len(g), len(wn))
			}
		})
	}
}

// TestWindowRangeOverDecimalFloatAndDate checks RANGE offsets over the
// other key types against the reference: a decimal key with a fractional
// offset, a float key, and a date key (offsets in days).
func TestWindowRangeOverDecimalFloatAndDate(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	half, _ := types.ParseDecimal("1.5")
	cases := []struct {
		key string
		off types.Value
	}{{"d", half}, {"f", types.Float64Value(2.25)}, {"day", types.Int64Value(3)}}
	for i, c := range cases {
		for _, desc := range []bool{false, true} {
			in := randomInput(rng, 150)
			// Coarser keys make offsets span several rows.
			for _, r := range in.rows {
				if !r[4].Null {
					r[4] = dec(int64(rng.IntN(20)) * 50)
				}
				if !r[5].Null {
					r[5] = fv(float64(rng.IntN(40)) / 4)
				}
			}
			fr := &logical.WindowFrame{Unit: logical.FrameRange, Start: logical.FrameBound{Kind: logical.Preceding, Offset: c.off},
				End: logical.FrameBound{Kind: logical.Following, Offset: c.off}}
			order := []logical.SortKey{{Expr: expr.Col("", c.key), Desc: desc, NullsFirst: i%2 == 0}}
			w := newTestWindow(t, in, []string{"p"}, order, []logical.WindowFuncSpec{
				{Name: "sum", Args: []*expr.Expr{expr.Col("", "x")}, Alias: "s", Frame: fr},
				{Name: "count", Star: true, Alias: "c", Frame: fr}})
			got, err := runWindowOp(t, in, w, 4, nil)
			if err != nil {
				t.Fatal(err)
			}
			if g, want := renderSorted(got), renderSorted(windowref.Eval(w, in.rows)); fmt.Sprint(g) != fmt.Sprint(want) {
				t.Fatalf("%s: results differ from the reference", w.Describe())
			}
		}
	}
}
