package logical

import (
	"fmt"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// AggExpr is one aggregate: Func over Arg (nil for count(*)), optionally
// DISTINCT, producing column Name of Type. Extra holds the arguments after
// the first (expr.AggArity): the second column of corr and covar_*, the
// literal fraction of the quantiles; expr.BindAggCall fills both.
type AggExpr struct {
	Func     expr.AggFunc `json:"func"`
	Arg      *expr.Expr   `json:"arg,omitempty"`
	Extra    []*expr.Expr `json:"extra,omitempty"`
	Distinct bool         `json:"distinct,omitempty"`
	Name     string       `json:"name"`
	Type     types.Type   `json:"type"`
}

func (a AggExpr) String() string {
	if a.Func == expr.AggCountStar {
		return "count(*) AS " + a.Name
	}
	d := ""
	if a.Distinct {
		d = "DISTINCT "
	}
	args := a.Arg.String()
	for _, x := range a.Extra {
		args += ", " + x.String()
	}
	return fmt.Sprintf("%s(%s%s) AS %s", a.Func, d, args, a.Name)
}

// Aggregate groups by GroupBy (output names GroupNames) and computes Aggs.
// Output: the group columns, then the aggregates, all qualified by Qualifier.
type Aggregate struct {
	Input      Node         `json:"-"`
	GroupBy    []*expr.Expr `json:"group_by"`
	GroupNames []string     `json:"group_names"`
	Aggs       []AggExpr    `json:"aggs"`
	Qualifier  string       `json:"qualifier,omitempty"`
}

var _ Node = (*Aggregate)(nil)

func (a *Aggregate) Schema() *types.Schema {
	s := &types.Schema{}
	for i, g := range a.GroupBy {
		s.Fields = append(s.Fields, types.Field{Qualifier: a.Qualifier, Name: a.GroupNames[i], Type: g.Type, Nullable: g.Nullable})
	}
	for _, ag := range a.Aggs {
		// counts never yield NULL; every other aggregate does on no rows.
		nullable := !expr.AggNeverNull(ag.Func)
		s.Fields = append(s.Fields, types.Field{Qualifier: a.Qualifier, Name: ag.Name, Type: ag.Type, Nullable: nullable})
	}
	return s
}

func (a *Aggregate) Children() []Node { return []Node{a.Input} }

func (a *Aggregate) WithChildren(children ...Node) Node {
	mustChildren(1, children, "Aggregate")
	c := *a
	c.Input = children[0]
	return &c
}

func (a *Aggregate) Describe() string {
	aggs := make([]string, len(a.Aggs))
	for i, ag := range a.Aggs {
		aggs[i] = ag.String()
	}
	return fmt.Sprintf("Aggregate group=[%s] aggs=[%s]", exprList(a.GroupBy), strings.Join(aggs, ", "))
}
