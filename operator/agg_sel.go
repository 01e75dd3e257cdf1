package operator

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// selUpdater is an accumulator that folds the selected rows of a whole
// argument column, ungathered: row sel[j] goes to group gids[j]. Hash
// aggregation over a filter uses it when every argument is a bare column
// (see hashAgg.selArgs).
type selUpdater interface {
	updateSel(gids []int32, arg arrow.Array, sel []int32) error
}

var (
	_ selUpdater = (*countAcc)(nil)
	_ selUpdater = (*sumInt)(nil)
	_ selUpdater = (*sumFloat)(nil)
	_ selUpdater = (*sumDecimal)(nil)
	_ selUpdater = (*avgAcc)(nil)
)

func (c *countAcc) updateSel(gids []int32, arg arrow.Array, sel []int32) error {
	if c.star || arg == nil || arg.NullN() == 0 {
		return c.update(gids, nil)
	}
	for j, g := range gids {
		if arg.IsValid(int(sel[j])) {
			c.counts[g]++
		}
	}
	return nil
}

func (s *sumInt) updateSel(gids []int32, arg arrow.Array, sel []int32) error {
	switch a := arg.(type) {
	case *array.Int64:
		return sumIntSel(s, gids, a.Int64Values(), a, sel)
	case *array.Int32:
		return sumIntSel(s, gids, a.Int32Values(), a, sel)
	}
	return fmt.Errorf("sum: unexpected input %s", arg.DataType())
}

func sumIntSel[T int32 | int64](s *sumInt, gids []int32, vals []T, a arrow.Array, sel []int32) error {
	hasNulls := a.NullN() > 0
	for j, g := range gids {
		i := int(sel[j])
		if hasNulls && a.IsNull(i) {
			continue
		}
		v := int64(vals[i])
		r := s.sums[g] + v
		if (r > s.sums[g]) != (v > 0) && v != 0 {
			return fmt.Errorf("integer overflow in sum")
		}
		s.sums[g] = r
		s.seen[g] = true
	}
	return nil
}

func (s *sumFloat) updateSel(gids []int32, arg arrow.Array, sel []int32) error {
	vals, err := float64ValuesInto(arg, &s.scratch)
	if err != nil {
		return err
	}
	hasNulls := arg.NullN() > 0
	for j, g := range gids {
		i := int(sel[j])
		if hasNulls && arg.IsNull(i) {
			continue
		}
		s.sums[g] += vals[i]
		s.seen[g] = true
	}
	return nil
}

func (s *sumDecimal) updateSel(gids []int32, arg arrow.Array, sel []int32) error {
	a, ok := arg.(*array.Decimal128)
	if !ok {
		return fmt.Errorf("sum: unexpected input %s", arg.DataType())
	}
	vals := a.Values()
	hasNulls := a.NullN() > 0
	for j, g := range gids {
		i := int(sel[j])
		if hasNulls && a.IsNull(i) {
			continue
		}
		sum := addDecimal(s.sums[g], vals[i])
		if decimalOverflow(s.sums[g], vals[i], sum) {
			return errDecimalOverflow
		}
		s.sums[g] = sum
		s.seen[g] = true
	}
	return nil
}

func (a *avgAcc) updateSel(gids []int32, arg arrow.Array, sel []int32) error {
	vals, err := float64ValuesInto(arg, &a.scratch)
	if err != nil {
		return err
	}
	hasNulls := arg.NullN() > 0
	for j, g := range gids {
		i := int(sel[j])
		if hasNulls && arg.IsNull(i) {
			continue
		}
		a.sums[g] += vals[i]
		a.counts[g]++
	}
	return nil
}
