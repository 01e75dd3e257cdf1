package operator

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
)

// genericAggFunc runs any GROUP BY accumulator over frames: DISTINCT
// aggregates and aggregates without a slider. A cumulative frame feeds one
// accumulator the rows as they enter and reads its result when the frame
// grew; other frames are recomputed from scratch for each row, which costs
// the frame's width per row.
type genericAggFunc struct {
	agg  logical.AggExpr
	cur  *frameCursor
	col  int
	cumu bool
	acc  accumulator
	lo   int64
	hi   int64
	last arrow.Array // the result for the current frame, 1 row
}

func newGenericAgg(f logical.WindowFunc, cur *frameCursor, col int) *genericAggFunc {
	a := logical.AggExpr{Func: f.Agg, Distinct: f.Distinct, Name: f.Name, Type: f.Type}
	if len(f.Args) > 0 {
		a.Arg = f.Args[0]
	}
	return &genericAggFunc{agg: a, cur: cur, col: col, cumu: f.Frame.Start.Kind == logical.UnboundedPreceding}
}

func (g *genericAggFunc) need() int64 {
	if g.cumu {
		return min(g.cur.need(), g.hi)
	}
	return min(g.cur.need(), g.lo)
}

func (g *genericAggFunc) fresh() (accumulator, error) {
	acc, err := newAccumulator(g.agg, physical.AggComplete)
	if err != nil {
		return nil, err
	}
	acc.grow(1)
	return acc, nil
}

func (g *genericAggFunc) eval(b *winBuf) (arrow.Array, error) {
	g.cur.load(b)
	results := make([]arrow.Array, 0, b.rows())
	defer func() { releaseAll(results) }()
	for r := range b.rows() {
		i := b.from + int64(r)
		if b.partStart[r] == i {
			if err := g.restart(i); err != nil {
				return nil, err
			}
		}
		lo, hi := g.cur.bounds(b, i, r)
		res, err := g.frame(b, lo, hi)
		if err != nil {
			return nil, err
		}
		results = append(results, res)
	}
	if len(results) == 0 {
		return array.MakeArrayOfNull(mem, g.agg.Type.Arrow(), 0), nil
	}
	return array.Concatenate(results, mem)
}

func (g *genericAggFunc) restart(i int64) error {
	g.cur.reset(i)
	g.lo, g.hi = i, i
	if g.last != nil {
		g.last.Release()
		g.last = nil
	}
	var err error
	g.acc, err = g.fresh()
	return err
}

// frame returns the aggregate over rows [lo, hi) as a one-row array.
func (g *genericAggFunc) frame(b *winBuf, lo, hi int64) (arrow.Array, error) {
	if g.cumu {
		if hi > g.hi || g.last == nil {
			if err := g.feed(g.acc, b, g.hi, hi); err != nil {
				return nil, err
			}
			g.hi = hi
			if g.last != nil {
				g.last.Release()
			}
			res, err := g.acc.final()
			if err != nil {
				return nil, err
			}
			g.last = res
		}
		g.last.Retain()
		return g.last, nil
	}
	g.lo, g.hi = lo, hi
	acc, err := g.fresh()
	if err != nil {
		return nil, err
	}
	if err := g.feed(acc, b, lo, hi); err != nil {
		return nil, err
	}
	return acc.final()
}

func (g *genericAggFunc) feed(acc accumulator, b *winBuf, lo, hi int64) error {
	if hi <= lo {
		return nil
	}
	gids := make([]int32, hi-lo)
	var arg arrow.Array
	if g.col >= 0 {
		arg = array.NewSlice(b.cols[g.col], int64(b.idx(lo)), int64(b.idx(hi)))
		defer arg.Release()
	}
	return acc.update(gids, arg)
}
