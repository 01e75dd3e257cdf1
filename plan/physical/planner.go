package physical

import (
	"context"
	"fmt"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// Splitter lists the splits of a scan (the planner's only I/O); tests pass
// a fake so golden plans do not depend on files.
type Splitter func(ctx context.Context, scan *logical.Scan) ([]format.Split, error)

// Config steers physical planning.
type Config struct {
	// Partitions is the number of shuffle partitions (> 0).
	Partitions int
	// Splitter lists scan splits.
	Splitter Splitter
}

// Plan converts each sink of an optimized logical plan into a physical tree
// rooted at a Write node.
func Plan(ctx context.Context, lp *logical.Plan, cfg Config) ([]*Node, error) {
	if cfg.Partitions <= 0 {
		return nil, fmt.Errorf("physical: partitions must be positive")
	}
	p := &planner{ctx: ctx, cfg: cfg}
	out := make([]*Node, 0, len(lp.Sinks))
	for _, w := range lp.Sinks {
		n, err := p.plan(w)
		if err != nil {
			return nil, fmt.Errorf("sink %q: %w", w.Sink, err)
		}
		out = append(out, n)
	}
	return out, nil
}

type planner struct {
	ctx context.Context
	cfg Config
}

func (p *planner) plan(n logical.Node) (*Node, error) {
	switch n := n.(type) {
	case *logical.Scan:
		return p.scan(n)
	case *logical.Alias:
		in, err := p.plan(n.Input)
		if err != nil {
			return nil, err
		}
		c := *in
		c.Schema = n.Schema()
		return &c, nil
	case *logical.Filter:
		return p.unary(n, n.Input, func(in *Node) *Node {
			return &Node{Op: OpFilter, Inputs: []*Node{in}, Schema: n.Schema(), Filter: n.Cond}
		})
	case *logical.Project:
		return p.unary(n, n.Input, func(in *Node) *Node {
			return &Node{Op: OpProject, Inputs: []*Node{in}, Schema: n.Schema(), Project: &ProjectSpec{Exprs: n.Exprs}}
		})
	case *logical.Aggregate:
		return p.aggregate(n)
	case *logical.Distinct:
		return p.distinct(n)
	case *logical.Join:
		return p.join(n)
	case *logical.Sort:
		return p.sort(n)
	case *logical.Limit:
		return p.limit(n)
	case *logical.Union:
		return p.union(n)
	case *logical.PluginTransform:
		return p.transform(n)
	case *logical.Window:
		return p.window(n)
	case *logical.Expand, *logical.Values, *logical.Replicate, *logical.SetOp:
		return p.setNode(n)
	case *logical.Repartition, *logical.Coalesce:
		return p.repartition(n)
	case *logical.Write:
		return p.unary(n, n.Input, func(in *Node) *Node {
			return &Node{Op: OpWrite, Inputs: []*Node{in}, Schema: n.Schema(), Write: &WriteSpec{
				Sink: n.Sink, Format: n.Format, Path: n.Path, PartitionBy: n.PartitionBy, Mode: n.Mode, Options: n.Options,
				Table:           n.Table,
				TargetFileBytes: n.TargetFileBytes,
			}}
		})
	}
	return nil, fmt.Errorf("physical: no plan for %T", n)
}

func (p *planner) unary(_ logical.Node, input logical.Node, build func(*Node) *Node) (*Node, error) {
	in, err := p.plan(input)
	if err != nil {
		return nil, err
	}
	return build(in), nil
}

func (p *planner) scan(s *logical.Scan) (*Node, error) {
	splits, err := p.cfg.Splitter(p.ctx, s)
	if err != nil {
		return nil, fmt.Errorf("source %q: %w", s.Source, err)
	}
	return &Node{Op: OpScan, Schema: s.Schema(), Scan: &ScanSpec{
		Source: s.Source, Format: s.Format, Table: s.Table, Columns: s.Projection,
		Filters: s.Filters, Options: s.Options, Splits: splits,
		PartitionColumns: s.PartitionColumns, Files: s.Files, MissingAsNull: s.MissingAsNull,
		FieldIDs: s.FieldIDs,
	}}, nil
}

// exchange wraps in with a repartitioning boundary.
func exchange(in *Node, spec *ExchangeSpec) *Node {
	return &Node{Op: OpExchange, Inputs: []*Node{in}, Schema: in.Schema, Exchange: spec}
}

// hashOrSingle partitions by keys, or gathers into one partition when there
// are none (a global aggregate).
func (p *planner) hashOrSingle(in *Node, keys []*expr.Expr) *Node {
	if len(keys) == 0 {
		return exchange(in, &ExchangeSpec{Kind: PartSingle, Partitions: 1})
	}
	return exchange(in, &ExchangeSpec{Kind: PartHash, Keys: keys, Partitions: p.cfg.Partitions})
}

func (p *planner) union(u *logical.Union) (*Node, error) {
	n := &Node{Op: OpUnion, Schema: u.Schema()}
	for _, c := range u.Inputs {
		in, err := p.plan(c)
		if err != nil {
			return nil, err
		}
		n.Inputs = append(n.Inputs, in)
	}
	return n, nil
}

// columnRefs are references to the first n columns of schema.
func columnRefs(schema *types.Schema, n int) []*expr.Expr {
	out := make([]*expr.Expr, n)
	for i := 0; i < n; i++ {
		out[i] = expr.BoundCol(i, schema.Fields[i])
	}
	return out
}
