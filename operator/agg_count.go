package operator

import (
	"github.com/apache/arrow-go/v18/arrow"
)

// countAcc counts rows (count(*)) or non-NULL values (count(x)); never NULL.
type countAcc struct {
	star   bool
	counts []int64
}

func (c *countAcc) grow(n int) { c.counts = growSlice(c.counts, n) }

func (c *countAcc) update(gids []int32, arg arrow.Array) error {
	if c.star || arg == nil || arg.NullN() == 0 {
		for _, g := range gids {
			c.counts[g]++
		}
		return nil
	}
	for i, g := range gids {
		if arg.IsValid(i) {
			c.counts[g]++
		}
	}
	return nil
}

func (c *countAcc) merge(gids []int32, states []arrow.Array) error {
	vals := int64Values(states[0])
	for i, g := range gids {
		c.counts[g] += vals[i]
	}
	return nil
}

func (c *countAcc) partial() []arrow.Array {
	return []arrow.Array{buildFixed(arrow.PrimitiveTypes.Int64, c.counts, nil)}
}

func (c *countAcc) final() (arrow.Array, error) {
	return buildFixed(arrow.PrimitiveTypes.Int64, c.counts, nil), nil
}
