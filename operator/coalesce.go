package operator

import (
	"context"
	"io"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/plan/physical"
)

// coalesceRange is the run of input partitions [lo, hi) that task part of
// a coalesce to n partitions reads from in input partitions: neighbours,
// spread as evenly as the counts allow.
func coalesceRange(part, n, in int) (lo, hi int) {
	if in <= n {
		return part, part + 1
	}
	return part * in / n, (part + 1) * in / n
}

// coalesced reads input partitions lo..hi-1 of one subtree one after
// another, building each reader only when the previous one is drained.
type coalesced struct {
	ctx    context.Context
	n      *physical.Node // the coalesce node
	env    *Env
	next   int
	hi     int
	cur    batch.Reader
	schema *arrow.Schema
}

var _ batch.Reader = (*coalesced)(nil)

func buildCoalesce(ctx context.Context, n *physical.Node, env *Env, part int) (batch.Reader, error) {
	lo, hi := coalesceRange(part, n.Coalesce, partitionsOf(n.Inputs[0], env))
	if hi-lo == 1 {
		return build(ctx, n.Inputs[0], env, lo)
	}
	return &coalesced{ctx: ctx, n: n, env: env, next: lo, hi: hi, schema: n.Schema.Arrow()}, nil
}

func (c *coalesced) Schema() *arrow.Schema { return c.schema }

func (c *coalesced) Next(ctx context.Context) (arrow.RecordBatch, error) {
	for {
		if c.cur == nil {
			if c.next >= c.hi {
				return nil, io.EOF
			}
			r, err := build(c.ctx, c.n.Inputs[0], c.env, c.next)
			if err != nil {
				return nil, err
			}
			c.cur, c.next = r, c.next+1
		}
		rec, err := c.cur.Next(ctx)
		if err != io.EOF {
			return rec, err
		}
		err = c.cur.Close()
		c.cur = nil
		if err != nil {
			return nil, err
		}
	}
}

// Close closes the input being read; safe to call twice.
func (c *coalesced) Close() error {
	c.next = c.hi
	if c.cur == nil {
		return nil
	}
	err := c.cur.Close()
	c.cur = nil
	return err
}
