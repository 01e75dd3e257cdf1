package jobplan

import (
	"errors"
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/jobspec"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/sqlfront"
)

// structured plans a view written with from/join/where/... attributes.
func (b *builder) structured(v *jobspec.View) (logical.Node, error) {
	input, err := b.relation(v.From.Value, v.From)
	if err != nil {
		return nil, err
	}
	for _, j := range v.Joins {
		if input, err = b.join(input, j); err != nil {
			return nil, err
		}
	}
	q, err := b.query(v, input)
	if err != nil {
		return nil, err
	}
	node, err := q.Plan(b.funcs)
	if err != nil {
		return nil, jobspec.At(clauseRange(v, err), err)
	}
	return node, nil
}

func (b *builder) join(left logical.Node, j *jobspec.Join) (logical.Node, error) {
	right, err := b.relation(j.Name, jobspec.Text{Range: j.Range})
	if err != nil {
		return nil, err
	}
	if j.Alias != "" {
		right = sqlfront.Qualify(right, j.Alias)
	}
	on, err := sqlfront.ParseExpr(j.On.Value)
	if err == nil {
		var node logical.Node
		if node, err = sqlfront.PlanJoin(left, right, j.Type, on, b.funcs); err == nil {
			return node, nil
		}
	}
	return nil, jobspec.At(j.On.Range, fmt.Errorf("join %q: on: %w", j.Name, err))
}

// query parses the view's expression strings into a sqlfront.Query.
func (b *builder) query(v *jobspec.View, input logical.Node) (*sqlfront.Query, error) {
	q := &sqlfront.Query{Name: v.Name, Input: input, Limit: v.Limit}
	var err error
	if q.Where, err = parseExpr("where", v.Where); err != nil {
		return nil, err
	}
	if q.Having, err = parseExpr("having", v.Having); err != nil {
		return nil, err
	}
	if q.GroupBy, err = parseItems("group_by", v.GroupBy); err != nil {
		return nil, err
	}
	if q.Aggregates, err = parseItems("aggregate", v.Aggregate); err != nil {
		return nil, err
	}
	if q.Select, err = parseItems("select", v.Select); err != nil {
		return nil, err
	}
	for _, t := range v.OrderBy {
		o, err := sqlfront.ParseOrderItem(t.Value)
		if err != nil {
			return nil, jobspec.At(t.Range, fmt.Errorf("order_by: %w", err))
		}
		q.OrderBy = append(q.OrderBy, o)
	}
	return q, nil
}

func parseExpr(clause string, t jobspec.Text) (*expr.Expr, error) {
	if !t.IsSet() {
		return nil, nil
	}
	e, err := sqlfront.ParseExpr(t.Value)
	if err != nil {
		return nil, jobspec.At(t.Range, fmt.Errorf("%s: %w", clause, err))
	}
	return e, nil
}

func parseItems(clause string, ts []jobspec.Text) ([]sqlfront.Item, error) {
	var items []sqlfront.Item
	for _, t := range ts {
		it, err := sqlfront.ParseItem(t.Value)
		if err != nil {
			return nil, jobspec.At(t.Range, fmt.Errorf("%s: %w", clause, err))
		}
		items = append(items, it)
	}
	return items, nil
}

// clauseRange finds the attribute (or list element) a planning error
// comes from; the view block itself when there is none.
func clauseRange(v *jobspec.View, err error) hcl.Range {
	var ce *sqlfront.ClauseError
	if !errors.As(err, &ce) {
		return v.Range
	}
	pick := func(ts []jobspec.Text) hcl.Range {
		switch {
		case ce.Item >= 0 && ce.Item < len(ts):
			return ts[ce.Item].Range
		case len(ts) > 0:
			return ts[0].Range
		}
		return v.Range
	}
	switch ce.Clause {
	case "where":
		return v.Where.Range
	case "having":
		return v.Having.Range
	case "select":
		return pick(v.Select)
	case "group_by":
		return pick(v.GroupBy)
	case "aggregate":
		return pick(v.Aggregate)
	case "order_by":
		return pick(v.OrderBy)
	}
	return v.Range
}
