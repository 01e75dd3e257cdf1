package operator

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/expr"
)

// momentsAcc computes var_samp, var_pop, stddev_samp and stddev_pop with
// Welford's update, and merges partial states with Chan's formula, so the
// result does not suffer the cancellation of sum(x²) - sum(x)²/n. State:
// count, mean, m2 (sum of squared deviations from the mean).
type momentsAcc struct {
	f        expr.AggFunc
	n        []int64
	mean, m2 []float64
}

var _ accumulator = (*momentsAcc)(nil)

func (a *momentsAcc) grow(n int) {
	a.n, a.mean, a.m2 = growSlice(a.n, n), growSlice(a.mean, n), growSlice(a.m2, n)
}

func (a *momentsAcc) update(gids []int32, arg arrow.Array) error {
	vals, err := float64Values(arg)
	if err != nil {
		return err
	}
	hasNulls := arg.NullN() > 0
	for i, g := range gids {
		if hasNulls && arg.IsNull(i) {
			continue
		}
		x := vals[i]
		a.n[g]++
		d := x - a.mean[g]
		a.mean[g] += d / float64(a.n[g])
		a.m2[g] += d * (x - a.mean[g])
	}
	return nil
}

func (a *momentsAcc) merge(gids []int32, states []arrow.Array) error {
	ns := int64Values(states[0])
	means, err := float64Values(states[1])
	if err != nil {
		return err
	}
	m2s, err := float64Values(states[2])
	if err != nil {
		return err
	}
	for i, g := range gids {
		a.n[g], a.mean[g], a.m2[g] = chan2(a.n[g], a.mean[g], a.m2[g], ns[i], means[i], m2s[i])
	}
	return nil
}

// chan2 combines two (count, mean, m2) summaries.
func chan2(na int64, ma, m2a float64, nb int64, mb, m2b float64) (int64, float64, float64) {
	switch {
	case nb == 0:
		return na, ma, m2a
	case na == 0:
		return nb, mb, m2b
	}
	n := na + nb
	d := mb - ma
	return n, ma + d*float64(nb)/float64(n), m2a + m2b + d*d*float64(na)*float64(nb)/float64(n)
}

func (a *momentsAcc) partial() []arrow.Array {
	return []arrow.Array{
		buildFixed(arrow.PrimitiveTypes.Int64, a.n, nil),
		buildFixed(arrow.PrimitiveTypes.Float64, a.mean, nil),
		buildFixed(arrow.PrimitiveTypes.Float64, a.m2, nil),
	}
}

// final: the sample forms need two values, the population forms one.
func (a *momentsAcc) final() (arrow.Array, error) {
	out := make([]float64, len(a.n))
	valid := make([]bool, len(a.n))
	for g, n := range a.n {
		var v float64
		switch a.f {
		case expr.AggVarSamp, expr.AggStddevSamp:
			if n < 2 {
				continue
			}
			v = a.m2[g] / float64(n-1)
		default:
			if n < 1 {
				continue
			}
			v = a.m2[g] / float64(n)
		}
		if a.f == expr.AggStddevSamp || a.f == expr.AggStddevPop {
			v = math.Sqrt(v)
		}
		out[g], valid[g] = v, true
	}
	return buildFixed(arrow.PrimitiveTypes.Float64, out, valid), nil
}

// comomentAcc computes covar_samp, covar_pop and corr over the rows where
// both arguments are non-NULL. State: count, both means, the co-moment
// and both sums of squared deviations, updated and merged like
// momentsAcc.
type comomentAcc struct {
	f                 expr.AggFunc
	n                 []int64
	mx, my, c, sx, sy []float64
}

var _ multiUpdater = (*comomentAcc)(nil)

func (a *comomentAcc) grow(n int) {
	a.n = growSlice(a.n, n)
	for _, s := range []*[]float64{&a.mx, &a.my, &a.c, &a.sx, &a.sy} {
		*s = growSlice(*s, n)
	}
}

func (a *comomentAcc) update([]int32, arrow.Array) error {
	return errTwoArgs(a.f)
}

// updateN takes (y, x) as corr(y, x) names them.
func (a *comomentAcc) updateN(gids []int32, args []arrow.Array) error {
	ys, err := float64Values(args[0])
	if err != nil {
		return err
	}
	xs, err := float64Values(args[1])
	if err != nil {
		return err
	}
	nulls := args[0].NullN() > 0 || args[1].NullN() > 0
	for i, g := range gids {
		if nulls && (args[0].IsNull(i) || args[1].IsNull(i)) {
			continue
		}
		x, y := xs[i], ys[i]
		a.n[g]++
		n := float64(a.n[g])
		dx, dy := x-a.mx[g], y-a.my[g]
		a.mx[g] += dx / n
		a.my[g] += dy / n
		a.c[g] += dx * (y - a.my[g])
		a.sx[g] += dx * (x - a.mx[g])
		a.sy[g] += dy * (y - a.my[g])
	}
	return nil
}

func (a *comomentAcc) merge(gids []int32, states []arrow.Array) error {
	ns := int64Values(states[0])
	cols := make([][]float64, 5)
	for j := range cols {
		v, err := float64Values(states[j+1])
		if err != nil {
			return err
		}
		cols[j] = v
	}
	for i, g := range gids {
		nb := ns[i]
		if nb == 0 {
			continue
		}
		na := a.n[g]
		n := na + nb
		dx, dy := cols[0][i]-a.mx[g], cols[1][i]-a.my[g]
		w := float64(na) * float64(nb) / float64(n)
		a.c[g] += cols[2][i] + dx*dy*w
		a.sx[g] += cols[3][i] + dx*dx*w
		a.sy[g] += cols[4][i] + dy*dy*w
		a.mx[g] += dx * float64(nb) / float64(n)
		a.my[g] += dy * float64(nb) / float64(n)
		a.n[g] = n
	}
	return nil
}

func (a *comomentAcc) partial() []arrow.Array {
	out := []arrow.Array{buildFixed(arrow.PrimitiveTypes.Int64, a.n, nil)}
	for _, s := range [][]float64{a.mx, a.my, a.c, a.sx, a.sy} {
		out = append(out, buildFixed(arrow.PrimitiveTypes.Float64, s, nil))
	}
	return out
}

func (a *comomentAcc) final() (arrow.Array, error) {
	out := make([]float64, len(a.n))
	valid := make([]bool, len(a.n))
	for g, n := range a.n {
		switch {
		case a.f == expr.AggCovarPop && n > 0:
			out[g], valid[g] = a.c[g]/float64(n), true
		case a.f == expr.AggCovarSamp && n > 1:
			out[g], valid[g] = a.c[g]/float64(n-1), true
		case a.f == expr.AggCorr && n > 0:
			// Zero variance on either side is NaN, as in DuckDB.
			out[g], valid[g] = math.NaN(), true
			if d := math.Sqrt(a.sx[g] * a.sy[g]); d != 0 {
				out[g] = a.c[g] / d
			}
		}
	}
	return buildFixed(arrow.PrimitiveTypes.Float64, out, valid), nil
}
