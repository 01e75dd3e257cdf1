package sqlfront

import (
	"strconv"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
)

// output is the select list: expressions over the node it is computed
// from (bound in finish), their names, the select item each comes from
// (stars expand to several columns), and the sort keys.
type output struct {
	exprs []*expr.Expr
	names []string
	items []int
	order []orderKey
}

// freeName makes a name the query did not write unique among the output
// columns so far (count_i, count_i_2), as a sink needs distinct names;
// names written with AS must be unique already.
func (o *output) freeName(base string) string {
	name := base
	for n := 2; o.taken(name); n++ {
		name = base + "_" + strconv.Itoa(n)
	}
	return name
}

func (o *output) taken(name string) bool {
	for _, n := range o.names {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

func (o *output) add(e *expr.Expr, name string, item int) {
	o.exprs = append(o.exprs, e)
	o.names = append(o.names, name)
	o.items = append(o.items, item)
}

func (p *planner) selectList(base logical.Node) (*output, error) {
	out := &output{}
	if p.q.Select == nil {
		p.defaultSelect(base, out)
		return out, nil
	}
	for i, it := range p.q.Select {
		if it.Star {
			if err := p.star(base, it.StarQualifier, i, out); err != nil {
				return nil, clauseErr("select", i, err)
			}
			continue
		}
		e, err := p.rewrite("select", i, it.Expr)
		if err != nil {
			return nil, err
		}
		name := it.Alias
		if name == "" {
			name = out.freeName(defaultName(it.Expr, i))
		}
		out.add(e, name, i)
	}
	return out, nil
}

// defaultSelect: every input column, or the group columns then the named
// aggregates (as JOBSPEC.md promises for views without select).
func (p *planner) defaultSelect(base logical.Node, out *output) {
	if p.agg == nil {
		for i, f := range base.Schema().Fields {
			out.add(expr.BoundCol(i, f), f.Name, 0)
		}
		return
	}
	for k := 0; k < len(p.agg.groups)+len(p.q.Aggregates); k++ {
		out.add(p.agg.ref(k), p.agg.name(k), 0)
	}
}

func (p *planner) star(base logical.Node, qualifier string, item int, out *output) error {
	if p.agg != nil {
		return planErr("* cannot be used with grouping or aggregates; list the columns")
	}
	n := len(out.exprs)
	for i, f := range base.Schema().Fields {
		if isHidden(f.Name) {
			continue // a subquery's helper column
		}
		if qualifier == "" || strings.EqualFold(f.Qualifier, qualifier) {
			out.add(expr.BoundCol(i, f), f.Name, item)
		}
	}
	if len(out.exprs) == n {
		return planErr("%s.* matches no relation of the from clause", qualifier)
	}
	return nil
}

// finish binds the select list and stacks Project, Distinct, Sort and
// Limit on base; hidden sort columns are projected away after the limit.
func (p *planner) finish(base logical.Node, out *output) (logical.Node, error) {
	bound, err := p.bindOutput(base, out)
	if err != nil {
		return nil, err
	}
	hidden, err := p.sortKeys(out, bound, base)
	if err != nil {
		return nil, err
	}
	node := p.project(base, append(bound, hidden...), append(out.names, hiddenNames(len(hidden))...))
	if p.q.Distinct {
		node = &logical.Distinct{Input: node}
	}
	if len(out.order) > 0 {
		node = &logical.Sort{Input: node, Keys: sortKeyList(out.order, node)}
	}
	if p.q.Limit != nil || p.q.Offset != nil {
		n, off := logical.NoLimit, int64(0)
		if p.q.Limit != nil {
			n = *p.q.Limit
		}
		if p.q.Offset != nil {
			off = *p.q.Offset
		}
		node = logical.NewLimit(node, n, off)
	}
	if len(hidden) > 0 {
		node = p.project(node, columnRefs(node, len(bound)), out.names)
	}
	return node, nil
}

func (p *planner) bindOutput(base logical.Node, out *output) ([]*expr.Expr, error) {
	if len(out.exprs) == 0 {
		return nil, clauseErr("select", -1, planErr("the query has no output columns"))
	}
	seen := map[string]int{}
	bound := make([]*expr.Expr, len(out.exprs))
	for i, e := range out.exprs {
		b, err := expr.Bind(e, base.Schema(), p.funcs)
		if err != nil {
			return nil, clauseErr("select", out.items[i], err)
		}
		bound[i] = b
		low := strings.ToLower(out.names[i])
		if _, dup := seen[low]; dup {
			return nil, clauseErr("select", out.items[i], planErr(
				"duplicate output column %q; name one of them with AS (for example \"x.%s AS other_%s\")",
				out.names[i], out.names[i], out.names[i]))
		}
		seen[low] = i
	}
	return bound, nil
}

// project is a Project of exprs named names over input, or input itself
// (re-qualified) when that would only pass every column through.
func (p *planner) project(input logical.Node, exprs []*expr.Expr, names []string) logical.Node {
	if isIdentity(input, exprs, names) {
		return Qualify(input, p.q.Name)
	}
	return &logical.Project{Input: input, Exprs: exprs, Names: names, Qualifier: p.q.Name}
}

func isIdentity(input logical.Node, exprs []*expr.Expr, names []string) bool {
	fields := input.Schema().Fields
	if len(exprs) != len(fields) {
		return false
	}
	for i, e := range exprs {
		if e.Kind != expr.KindColumn || e.Index != i || names[i] != fields[i].Name {
			return false
		}
	}
	return true
}

// Qualify makes name the qualifier of every output column of n (an
// Alias unless they all have it already; n itself when name is "").
func Qualify(n logical.Node, name string) logical.Node {
	if name == "" {
		return n
	}
	all := true
	for _, f := range n.Schema().Fields {
		all = all && f.Qualifier == name
	}
	if all {
		return n
	}
	return &logical.Alias{Input: n, Name: name}
}

func columnRefs(n logical.Node, count int) []*expr.Expr {
	fields := n.Schema().Fields
	out := make([]*expr.Expr, count)
	for i := range out {
		out[i] = expr.BoundCol(i, fields[i])
	}
	return out
}
