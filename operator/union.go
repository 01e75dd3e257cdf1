package operator

import (
	"context"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/plan/physical"
)

// buildUnion routes the task's partition to the one input that owns it:
// a union's partitions are its inputs' partitions laid end to end.
func buildUnion(ctx context.Context, n *physical.Node, env *Env, part int) (batch.Reader, error) {
	for _, in := range n.Inputs {
		c := partitionsOf(in, env)
		if part < c {
			r, err := build(ctx, in, env, part)
			if err != nil {
				return nil, err
			}
			return &renamed{Reader: r, schema: n.Schema.Arrow()}, nil
		}
		part -= c
	}
	return batch.NewSliceReader(n.Schema.Arrow(), nil), nil
}
