package windowref

import (
	"fmt"
	"math/big"
	"sort"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// Row is one row of values.
type Row []types.Value

// Eval returns input's rows with w's function values appended, sorted by
// partition keys then order keys (ties keep input order). Expressions must
// be column references, literals, or casts of literals.
func Eval(w *logical.Window, input []Row) []Row {
	rows := append([]Row(nil), input...)
	pk := func(r Row) []types.Value { return evalAll(w.PartitionBy, r) }
	ok := func(r Row) []types.Value {
		out := make([]types.Value, len(w.OrderBy))
		for i, k := range w.OrderBy {
			out[i] = evalSimple(k.Expr, r)
		}
		return out
	}
	sort.SliceStable(rows, func(a, b int) bool {
		if c := compareKeys(pk(rows[a]), pk(rows[b]), nil); c != 0 {
			return c < 0
		}
		return compareKeys(ok(rows[a]), ok(rows[b]), w.OrderBy) < 0
	})
	var out []Row
	for start := 0; start < len(rows); {
		end := start + 1
		for end < len(rows) && compareKeys(pk(rows[start]), pk(rows[end]), nil) == 0 {
			end++
		}
		out = append(out, partition(w, rows[start:end], ok)...)
		start = end
	}
	return out
}

// compareKeys orders key tuples; keys nil means ascending, NULLs last.
func compareKeys(a, b []types.Value, keys []logical.SortKey) int {
	for i := range a {
		c := types.Compare(a[i], b[i])
		if keys != nil {
			k := keys[i]
			if a[i].Null != b[i].Null {
				if k.NullsFirst == a[i].Null {
					c = -1
				} else {
					c = 1
				}
			} else if k.Desc {
				c = -c
			}
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

type part struct {
	w     *logical.Window
	rows  []Row
	keys  [][]types.Value
	group []int // peer group ordinal of each position
}

func partition(w *logical.Window, rows []Row, ok func(Row) []types.Value) []Row {
	p := &part{w: w, rows: rows}
	for i, r := range rows {
		p.keys = append(p.keys, ok(r))
		g := 0
		if i > 0 {
			g = p.group[i-1]
			if compareKeys(p.keys[i-1], p.keys[i], w.OrderBy) != 0 {
				g++
			}
		}
		p.group = append(p.group, g)
	}
	out := make([]Row, len(rows))
	for i, r := range rows {
		o := append(Row(nil), r...)
		for _, f := range w.Funcs {
			o = append(o, p.value(f, i))
		}
		out[i] = o
	}
	return out
}

func (p *part) peers(i int) (first, last int) {
	first, last = i, i
	for first > 0 && p.group[first-1] == p.group[i] {
		first--
	}
	for last+1 < len(p.rows) && p.group[last+1] == p.group[i] {
		last++
	}
	return first, last
}

func (p *part) value(f logical.WindowFunc, i int) types.Value {
	n := len(p.rows)
	first, last := p.peers(i)
	switch f.Kind {
	case logical.WinRowNumber:
		return types.Int64Value(int64(i + 1))
	case logical.WinRank:
		return types.Int64Value(int64(first + 1))
	case logical.WinDenseRank:
		return types.Int64Value(int64(p.group[i] + 1))
	case logical.WinPercentRank:
		if n == 1 {
			return types.Float64Value(0)
		}
		return types.Float64Value(float64(first) / float64(n-1))
	case logical.WinCumeDist:
		return types.Float64Value(float64(last+1) / float64(n))
	case logical.WinNtile:
		return p.ntile(f, i)
	case logical.WinLag, logical.WinLead:
		return p.lagLead(f, i)
	}
	frame := p.frame(f.Frame, i)
	if f.Kind == logical.WinAggregate {
		return p.aggregate(f, frame)
	}
	vals := make([]types.Value, 0, len(frame))
	for _, j := range frame {
		v := evalSimple(f.Args[0], p.rows[j])
		if f.IgnoreNulls && v.Null {
			continue
		}
		vals = append(vals, v)
	}
	idx := map[logical.WindowKind]int{logical.WinFirstValue: 0, logical.WinLastValue: len(vals) - 1, logical.WinNthValue: int(f.N) - 1}[f.Kind]
	if idx < 0 || idx >= len(vals) {
		return types.NullValue(f.Type)
	}
	return vals[idx]
}

func (p *part) ntile(f logical.WindowFunc, i int) types.Value {
	k := evalSimple(f.Args[0], p.rows[i])
	if k.Null {
		return types.NullValue(f.Type)
	}
	n := int64(len(p.rows))
	// Hand out rows bucket by bucket: the first n%k buckets get one more.
	pos := int64(0)
	for b := int64(1); b <= k.I; b++ {
		size := n / k.I
		if b <= n%k.I {
			size++
		}
		if int64(i) < pos+size {
			return types.Int64Value(b)
		}
		pos += size
	}
	panic("windowref: ntile ran out of buckets")
}

func (p *part) lagLead(f logical.WindowFunc, i int) types.Value {
	step := -1
	if f.Kind == logical.WinLead {
		step = 1
	}
	j, left := i, f.Offset
	for left > 0 {
		j += step
		if j < 0 || j >= len(p.rows) {
			break
		}
		if !f.IgnoreNulls || !evalSimple(f.Args[0], p.rows[j]).Null {
			left--
		}
	}
	if j >= 0 && j < len(p.rows) && left == 0 {
		return evalSimple(f.Args[0], p.rows[j])
	}
	if len(f.Args) > 1 {
		return evalSimple(f.Args[1], p.rows[i])
	}
	return types.NullValue(f.Type)
}

// frame lists the positions in row i's frame by testing each row against
// both bounds.
func (p *part) frame(fr logical.WindowFrame, i int) []int {
	var out []int
	for j := range p.rows {
		if p.inBound(fr, fr.Start, i, j, false) && p.inBound(fr, fr.End, i, j, true) {
			out = append(out, j)
		}
	}
	return out
}

// inBound reports whether row j is on the frame side of bound bd (at or
// after a start, at or before an end) for current row i.
func (p *part) inBound(fr logical.WindowFrame, bd logical.FrameBound, i, j int, end bool) bool {
	ok := func(c int) bool { // c: position of j relative to the bound
		if end {
			return c <= 0
		}
		return c >= 0
	}
	switch bd.Kind {
	case logical.UnboundedPreceding, logical.UnboundedFollowing:
		return true
	}
	off := bd.Offset
	sign := int64(1)
	if bd.Kind == logical.Preceding {
		sign = -1
	}
	switch fr.Unit {
	case logical.FrameRows:
		if bd.Kind == logical.CurrentRow {
			return ok(j - i)
		}
		return ok(int(int64(j) - (int64(i) + sign*off.I)))
	case logical.FrameGroups:
		if bd.Kind == logical.CurrentRow {
			return ok(p.group[j] - p.group[i])
		}
		return ok(int(int64(p.group[j]) - (int64(p.group[i]) + sign*off.I)))
	}
	first, last := p.peers(i)
	vi := p.keys[i]
	if bd.Kind == logical.CurrentRow || (bd.Kind != logical.CurrentRow && vi[0].Null) {
		if end {
			return j <= last
		}
		return j >= first
	}
	k := p.w.OrderBy[0]
	vj := p.keys[j][0]
	if vj.Null {
		// NULLs sit before (NULLS FIRST) or after every value.
		if k.NullsFirst {
			return ok(-1)
		}
		return ok(1)
	}
	if k.Desc {
		sign = -sign
	}
	c := cmpShift(vj, vi[0], sign, off)
	if k.Desc {
		c = -c
	}
	return ok(c)
}

// cmpShift compares a with b + sign*off exactly (big.Rat).
func cmpShift(a, b types.Value, sign int64, off types.Value) int {
	ra, rb, ro := rat(a), rat(b), rat(off)
	if sign < 0 {
		ro.Neg(ro)
	}
	return ra.Cmp(rb.Add(rb, ro))
}

func rat(v types.Value) *big.Rat {
	switch v.Type.ID {
	case types.Float32, types.Float64:
		r, _ := new(big.Rat).SetString(fmt.Sprint(v.F))
		return r
	case types.Decimal:
		den := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(v.Type.Scale)), nil)
		return new(big.Rat).SetFrac(v.Decimal128().BigInt(), den)
	}
	return new(big.Rat).SetInt64(v.I)
}

func (p *part) aggregate(f logical.WindowFunc, frame []int) types.Value {
	var vals []types.Value
	seen := map[string]bool{}
	for _, j := range frame {
		if f.Agg == expr.AggCountStar {
			vals = append(vals, types.Int64Value(1))
			continue
		}
		v := evalSimple(f.Args[0], p.rows[j])
		if v.Null || (f.Distinct && seen[v.String()]) {
			continue
		}
		seen[v.String()] = true
		vals = append(vals, v)
	}
	switch f.Agg {
	case expr.AggCountStar, expr.AggCount:
		return types.Int64Value(int64(len(vals)))
	}
	if len(vals) == 0 {
		return types.NullValue(f.Type)
	}
	switch f.Agg {
	case expr.AggMin, expr.AggMax:
		best := vals[0]
		for _, v := range vals[1:] {
			c := types.Compare(v, best)
			if (f.Agg == expr.AggMin && c < 0) || (f.Agg == expr.AggMax && c > 0) {
				best = v
			}
		}
		return best
	}
	sum := new(big.Rat)
	for _, v := range vals {
		sum.Add(sum, rat(v))
	}
	if f.Agg == expr.AggAvg {
		sum.Quo(sum, new(big.Rat).SetInt64(int64(len(vals))))
	}
	switch f.Type.ID {
	case types.Int64:
		return types.Int64Value(sum.Num().Int64())
	case types.Decimal:
		scaled := new(big.Rat).Mul(sum, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(f.Type.Scale)), nil)))
		return types.DecimalValue(decimal128.FromBigInt(scaled.Num()), f.Type.Precision, f.Type.Scale)
	}
	fl, _ := sum.Float64()
	return types.Float64Value(fl)
}

func evalAll(es []*expr.Expr, r Row) []types.Value {
	out := make([]types.Value, len(es))
	for i, e := range es {
		out[i] = evalSimple(e, r)
	}
	return out
}

func evalSimple(e *expr.Expr, r Row) types.Value {
	switch {
	case e.Kind == expr.KindColumn:
		return r[e.Index]
	case e.IsLiteral():
		return e.Value
	case e.IsCall(expr.FnCast) && e.Args[0].IsLiteral():
		v := e.Args[0].Value
		if v.Null {
			return types.NullValue(e.Type)
		}
		if e.Type.IsInteger() && v.Type.IsInteger() {
			v.Type = e.Type
			return v
		}
	}
	panic(fmt.Sprintf("windowref: cannot evaluate %s", e))
}
