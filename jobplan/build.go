package jobplan

import (
	"context"
	"fmt"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/jobspec"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/sqlfront"
)

// Catalog describes sources. The caller implements it: it infers schemas
// (or takes src.Schema), finds the input files and their total size, and
// returns a Scan whose Table is qualified by the source name.
type Catalog interface {
	Source(ctx context.Context, src *jobspec.Source) (*logical.Scan, error)
}

// Build compiles job into a logical plan with one Write per sink, in the
// order the sinks are written. funcs types plugin functions (may be nil).
func Build(ctx context.Context, job *jobspec.Job, cat Catalog, funcs expr.FuncResolver) (*logical.Plan, error) {
	b := &builder{funcs: funcs, rels: map[string]logical.Node{}}
	for _, src := range job.Sources {
		if err := b.source(ctx, cat, src); err != nil {
			return nil, err
		}
	}
	for _, v := range job.Views {
		node, err := b.view(v)
		if err != nil {
			return nil, err
		}
		if node, err = layout(node, v.Layout, fmt.Sprintf("view %q", v.Name)); err != nil {
			return nil, err
		}
		b.rels[v.Name] = node
	}
	plan := &logical.Plan{Job: job.Name}
	for _, s := range job.Sinks {
		w, err := b.sink(s)
		if err != nil {
			return nil, err
		}
		plan.Sinks = append(plan.Sinks, w)
	}
	return plan, nil
}

// builder holds the relations planned so far: sources, then each view
// once built, so a view sees exactly the sources and the views above it.
type builder struct {
	funcs expr.FuncResolver
	rels  map[string]logical.Node
}

func (b *builder) source(ctx context.Context, cat Catalog, src *jobspec.Source) error {
	scan, err := cat.Source(ctx, src)
	if err != nil {
		return jobspec.At(src.Range, fmt.Errorf("source %q: %w", src.Name, err))
	}
	if scan == nil || scan.Table == nil {
		return jobspec.Errorf(src.Range, "source %q: the catalog returned no schema", src.Name)
	}
	b.rels[src.Name] = sqlfront.Qualify(scan, src.Name)
	return nil
}

// relation looks up a source or earlier view; jobspec validated the
// names, so a miss here means the job was not built by jobspec.Parse.
func (b *builder) relation(name string, at jobspec.Text) (logical.Node, error) {
	if n, ok := b.rels[name]; ok {
		return n, nil
	}
	return nil, jobspec.Errorf(at.Range, "unknown source or view %q", name)
}

func (b *builder) view(v *jobspec.View) (logical.Node, error) {
	if v.IsSQL() {
		node, err := sqlfront.PlanView(v.Name, v.SQL.Value, b.rels, b.funcs)
		if err != nil {
			return nil, jobspec.At(v.SQL.Range, fmt.Errorf("view %q: %w", v.Name, err))
		}
		return node, nil
	}
	if v.Transform.IsSet() {
		return b.transform(v)
	}
	return b.structured(v)
}
