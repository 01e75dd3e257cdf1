package operator

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// countIfAcc counts TRUE values (count_if); never NULL.
type countIfAcc struct{ counts []int64 }

var _ accumulator = (*countIfAcc)(nil)

func (c *countIfAcc) grow(n int) { c.counts = growSlice(c.counts, n) }

func (c *countIfAcc) update(gids []int32, arg arrow.Array) error {
	b, ok := arg.(*array.Boolean)
	if !ok {
		return fmt.Errorf("count_if: unexpected input %s", arg.DataType())
	}
	for i, g := range gids {
		if b.IsValid(i) && b.Value(i) {
			c.counts[g]++
		}
	}
	return nil
}

func (c *countIfAcc) merge(gids []int32, states []arrow.Array) error {
	vals := int64Values(states[0])
	for i, g := range gids {
		c.counts[g] += vals[i]
	}
	return nil
}

func (c *countIfAcc) partial() []arrow.Array {
	return []arrow.Array{buildFixed(arrow.PrimitiveTypes.Int64, c.counts, nil)}
}

func (c *countIfAcc) final() (arrow.Array, error) { return c.partial()[0], nil }

// boolAcc is bool_and (and true) or bool_or; NULLs are skipped, a group
// without values is NULL. The partial state is the result so far, so
// update and merge are the same fold.
type boolAcc struct {
	and  bool
	vals []bool
	seen []bool
}

var _ accumulator = (*boolAcc)(nil)

func (b *boolAcc) grow(n int) { b.vals, b.seen = growSlice(b.vals, n), growBools(b.seen, n) }

func (b *boolAcc) update(gids []int32, arg arrow.Array) error {
	a, ok := arg.(*array.Boolean)
	if !ok {
		return fmt.Errorf("bool_and/bool_or: unexpected input %s", arg.DataType())
	}
	for i, g := range gids {
		if a.IsNull(i) {
			continue
		}
		v := a.Value(i)
		switch {
		case !b.seen[g]:
			b.vals[g], b.seen[g] = v, true
		case b.and:
			b.vals[g] = b.vals[g] && v
		default:
			b.vals[g] = b.vals[g] || v
		}
	}
	return nil
}

func (b *boolAcc) merge(gids []int32, states []arrow.Array) error { return b.update(gids, states[0]) }

func (b *boolAcc) partial() []arrow.Array {
	return []arrow.Array{buildFixed(arrow.FixedWidthTypes.Boolean, b.vals, b.seen)}
}

func (b *boolAcc) final() (arrow.Array, error) { return b.partial()[0], nil }
