package operator

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// slider is an aggregate over a frame that moves forward: rows enter at
// the top (add) and, for frames not starting at UNBOUNDED PRECEDING, leave
// at the bottom (remove), in row order. Indexes are into the buffer's
// columns, reloaded after each materialization.
type slider interface {
	// load sees the buffer's argument column; n rows will be emitted.
	load(col arrow.Array, n int) error
	reset()
	add(j int) error
	remove(j int)
	emit()
	finish() arrow.Array
}

// aggFunc is an aggregate window function over its frame. A cumulative
// frame (from UNBOUNDED PRECEDING) only ever adds rows, so a running
// total serves it in O(1) per row and reads no row twice; a sliding frame
// also removes rows (O(1) for sums and counts, amortized O(1) with a
// monotonic deque for min and max).
type aggFunc struct {
	cur     *frameCursor
	s       slider
	col     int // -1 for count(*)
	removes bool
	lo, hi  int64 // the slider holds rows [lo, hi)
}

func (f *aggFunc) need() int64 {
	n := min(f.cur.need(), f.hi)
	if f.removes {
		n = min(n, f.lo)
	}
	return n
}

func (f *aggFunc) eval(b *winBuf) (arrow.Array, error) {
	f.cur.load(b)
	var col arrow.Array
	if f.col >= 0 {
		col = b.cols[f.col]
	}
	if err := f.s.load(col, b.rows()); err != nil {
		return nil, err
	}
	for r := range b.rows() {
		i := b.from + int64(r)
		if b.partStart[r] == i {
			f.cur.reset(i)
			f.s.reset()
			f.lo, f.hi = i, i
		}
		lo, hi := f.cur.bounds(b, i, r)
		for ; f.hi < hi; f.hi++ {
			if err := f.s.add(b.idx(f.hi)); err != nil {
				return nil, err
			}
		}
		for ; f.lo < lo; f.lo++ {
			f.s.remove(b.idx(f.lo))
		}
		f.s.emit()
	}
	return f.s.finish(), nil
}

// newSlider picks the slider for an aggregate; ok is false when there is
// no specialized one (the generic aggregate then recomputes frames).
func newSlider(f logical.WindowFunc) (slider, bool) {
	if f.Distinct {
		return nil, false
	}
	switch f.Agg {
	case expr.AggCountStar:
		return &countSlider{star: true}, true
	case expr.AggCount:
		return &countSlider{}, true
	case expr.AggSum:
		switch f.Type.ID {
		case types.Int64:
			return &sumIntSlider{}, true
		case types.Float64:
			return &sumFloatSlider{}, true
		case types.Decimal:
			return &sumDecimalSlider{dt: f.Type.Arrow()}, true
		}
	case expr.AggAvg:
		if f.Type.ID == types.Float64 {
			return &sumFloatSlider{avg: true}, true
		}
	case expr.AggMin, expr.AggMax:
		return newMinMaxSlider(f.Type, f.Agg == expr.AggMax)
	}
	return nil, false
}

// countSlider counts rows (count(*)) or non-NULL values.
type countSlider struct {
	star bool
	col  arrow.Array
	n    int64
	out  []int64
}

func (c *countSlider) load(col arrow.Array, n int) error {
	c.col, c.out = col, make([]int64, 0, n)
	return nil
}
func (c *countSlider) reset()            { c.n = 0 }
func (c *countSlider) counts(j int) bool { return c.star || c.col.IsValid(j) }
func (c *countSlider) emit()             { c.out = append(c.out, c.n) }

func (c *countSlider) add(j int) error {
	if c.counts(j) {
		c.n++
	}
	return nil
}

func (c *countSlider) remove(j int) {
	if c.counts(j) {
		c.n--
	}
}

func (c *countSlider) finish() arrow.Array {
	return wrapFixed(arrow.PrimitiveTypes.Int64, c.out, nil)
}

// sumIntSlider sums integers into int64, failing on overflow like GROUP BY.
type sumIntSlider struct {
	col   arrow.Array
	vals  []int64
	sum   int64
	n     int64
	out   []int64
	valid []bool
}

func (s *sumIntSlider) load(col arrow.Array, n int) error {
	s.col, s.vals = col, asInt64s(col)
	s.out, s.valid = make([]int64, 0, n), make([]bool, 0, n)
	return nil
}

func (s *sumIntSlider) reset() { s.sum, s.n = 0, 0 }

func (s *sumIntSlider) add(j int) error {
	if s.col.IsNull(j) {
		return nil
	}
	v := s.vals[j]
	r := s.sum + v
	if (r > s.sum) != (v > 0) && v != 0 {
		return fmt.Errorf("integer overflow in sum")
	}
	s.sum, s.n = r, s.n+1
	return nil
}

func (s *sumIntSlider) remove(j int) {
	if s.col.IsValid(j) {
		s.sum -= s.vals[j]
		s.n--
	}
}

func (s *sumIntSlider) emit() {
	s.out, s.valid = append(s.out, s.sum), append(s.valid, s.n > 0)
}

func (s *sumIntSlider) finish() arrow.Array {
	return wrapFixed(arrow.PrimitiveTypes.Int64, s.out, s.valid)
}

// sumFloatSlider sums floats (avg: divides by the count). Removing values
// uses Kahan-Babuska compensation so long sliding frames do not drift;
// the sum restarts from zero whenever the frame has no values.
type sumFloatSlider struct {
	avg    bool
	col    arrow.Array
	vals   []float64
	sum, c float64
	n      int64
	out    []float64
	valid  []bool
}

func (s *sumFloatSlider) load(col arrow.Array, n int) error {
	vals, err := float64Values(col)
	s.col, s.vals = col, vals
	s.out, s.valid = make([]float64, 0, n), make([]bool, 0, n)
	return err
}

func (s *sumFloatSlider) reset() { s.sum, s.c, s.n = 0, 0, 0 }

func (s *sumFloatSlider) plus(v float64) {
	t := s.sum + v
	if abs(s.sum) >= abs(v) {
		s.c += (s.sum - t) + v
	} else {
		s.c += (v - t) + s.sum
	}
	s.sum = t
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func (s *sumFloatSlider) add(j int) error {
	if s.col.IsValid(j) {
		s.plus(s.vals[j])
		s.n++
	}
	return nil
}

func (s *sumFloatSlider) remove(j int) {
	if s.col.IsValid(j) {
		s.plus(-s.vals[j])
		s.n--
		if s.n == 0 {
			s.reset()
		}
	}
}

func (s *sumFloatSlider) emit() {
	v := s.sum + s.c
	if s.avg && s.n > 0 {
		v /= float64(s.n)
	}
	s.out, s.valid = append(s.out, v), append(s.valid, s.n > 0)
}

func (s *sumFloatSlider) finish() arrow.Array {
	return wrapFixed(arrow.PrimitiveTypes.Float64, s.out, s.valid)
}

// sumDecimalSlider sums decimals exactly.
type sumDecimalSlider struct {
	dt    arrow.DataType
	col   *array.Decimal128
	sum   decimal128.Num
	n     int64
	out   []decimal128.Num
	valid []bool
}

func (s *sumDecimalSlider) load(col arrow.Array, _ int) error {
	d, ok := col.(*array.Decimal128)
	if !ok {
		return fmt.Errorf("sum: unexpected input %s", col.DataType())
	}
	s.col = d
	return nil
}

func (s *sumDecimalSlider) reset() { s.sum, s.n = decimal128.Num{}, 0 }

func (s *sumDecimalSlider) add(j int) error {
	if s.col.IsNull(j) {
		return nil
	}
	v := s.col.Value(j)
	sum := addDecimal(s.sum, v)
	if decimalOverflow(s.sum, v, sum) {
		return fmt.Errorf("decimal overflow in sum (more than %d digits)", types.MaxDecimalPrecision)
	}
	s.sum, s.n = sum, s.n+1
	return nil
}

func (s *sumDecimalSlider) remove(j int) {
	if s.col.IsValid(j) {
		s.sum = addDecimal(s.sum, s.col.Value(j).Negate())
		s.n--
	}
}

func (s *sumDecimalSlider) emit() {
	s.out, s.valid = append(s.out, s.sum), append(s.valid, s.n > 0)
}

func (s *sumDecimalSlider) finish() arrow.Array {
	out := buildFixed(s.dt, s.out, s.valid)
	s.out, s.valid = s.out[:0], s.valid[:0]
	return out
}
