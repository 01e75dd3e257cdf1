package eval

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
)

// TakeColumns returns rows idx (in idx order, each in range) of every
// column with Filter's gather kernel: raw values copied by width, strings
// by offsets with runs of consecutive rows copied at once, dictionary
// columns keeping their dictionary. It serves the operators' row gathers
// (sort permutations, join matches, shuffle scatter), where arrow's
// generic take kernels cost several times more.
func TakeColumns(ctx context.Context, cols []arrow.Array, idx []int32) ([]arrow.Array, error) {
	b := newBatch(ctx, nil, len(idx), &Options{})
	out := make([]arrow.Array, len(cols))
	for i, c := range cols {
		t, err := gather(b, c, idx, nil)
		if err != nil {
			for _, o := range out[:i] {
				o.Release()
			}
			return nil, err
		}
		out[i] = t
	}
	return out, nil
}
