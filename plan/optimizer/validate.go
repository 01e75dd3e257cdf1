package optimizer

import (
	"errors"
	"fmt"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// Validate checks that a tree keeps the bound-tree contract: every column
// reference's Index is in range of the schema it is bound against, and its
// name and type match that column (a reference may be more nullable than the
// column, never less); node shapes are consistent (one name per projected
// expression, pairwise equal join key types, union inputs of equal types).
// It reports the deepest broken node first. Qualifiers are not checked: they
// only matter while binding, and rules legitimately drop them.
func Validate(n logical.Node) error {
	if n == nil {
		return fmt.Errorf("%w: nil node", ErrInvalidPlan)
	}
	for _, c := range n.Children() {
		if err := Validate(c); err != nil {
			return err
		}
	}
	if err := validateNode(n); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrInvalidPlan, describe(n), err)
	}
	return nil
}

// describe is n.Describe, which may panic on the malformed nodes Validate
// exists to report (a Project with fewer names than expressions).
func describe(n logical.Node) (s string) {
	defer func() {
		if recover() != nil {
			s = fmt.Sprintf("%T", n)
		}
	}()
	return n.Describe()
}

func validateNode(n logical.Node) error {
	switch t := n.(type) {
	case *logical.Scan:
		return validateScan(t)
	case *logical.Filter:
		return checkPredicate(t.Cond, t.Input.Schema())
	case *logical.Project:
		return validateProject(t)
	case *logical.Aggregate:
		return validateAggregate(t)
	case *logical.Join:
		return validateJoin(t)
	case *logical.Sort:
		return validateSort(t)
	case *logical.Limit:
		if t.N < logical.NoLimit || t.Offset < 0 {
			return fmt.Errorf("negative limit %d or offset %d", t.N, t.Offset)
		}
	case *logical.Expand, *logical.Values, *logical.Replicate, *logical.SetOp:
		return validateSetNode(n)
	case *logical.Union:
		return validateUnion(t)
	case *logical.Write:
		return validateWrite(t)
	case *logical.PluginTransform:
		return validateTransform(t)
	case *logical.Window:
		return validateWindow(t)
	}
	return nil
}

func validateScan(s *logical.Scan) error {
	if s.Table == nil {
		return errors.New("scan without a table schema")
	}
	for _, i := range s.Projection {
		if i < 0 || i >= s.Table.Len() {
			return fmt.Errorf("projection ordinal %d out of range (table has %d columns)", i, s.Table.Len())
		}
	}
	for _, f := range s.Filters {
		if err := checkPredicate(f, s.Table); err != nil {
			return fmt.Errorf("scan filter: %w", err)
		}
	}
	return nil
}

func validateProject(p *logical.Project) error {
	if len(p.Exprs) != len(p.Names) {
		return fmt.Errorf("%d expressions but %d names", len(p.Exprs), len(p.Names))
	}
	return checkExprs(p.Exprs, p.Input.Schema())
}

func validateAggregate(a *logical.Aggregate) error {
	if len(a.GroupBy) != len(a.GroupNames) {
		return fmt.Errorf("%d group expressions but %d names", len(a.GroupBy), len(a.GroupNames))
	}
	in := a.Input.Schema()
	if err := checkExprs(a.GroupBy, in); err != nil {
		return err
	}
	for _, ag := range a.Aggs {
		if (ag.Arg == nil) != (ag.Func == expr.AggCountStar) {
			return fmt.Errorf("aggregate %s: only count(*) has no argument", ag.Name)
		}
		if ag.Arg != nil {
			if err := checkExpr(ag.Arg, in); err != nil {
				return fmt.Errorf("aggregate %s: %w", ag.Name, err)
			}
		}
		if err := checkExprs(ag.Extra, in); err != nil {
			return fmt.Errorf("aggregate %s: %w", ag.Name, err)
		}
	}
	return nil
}

// joinTypesKnown lists the join types the optimizer's rules understand.
var joinTypesKnown = []logical.JoinType{logical.InnerJoin, logical.LeftJoin, logical.SemiJoin,
	logical.AntiJoin, logical.RightJoin, logical.FullJoin, logical.MarkJoin}

func validateJoin(j *logical.Join) error {
	if len(j.LeftKeys) != len(j.RightKeys) {
		return fmt.Errorf("%d left keys but %d right keys", len(j.LeftKeys), len(j.RightKeys))
	}
	if len(j.NullSafe) > 0 && len(j.NullSafe) != len(j.LeftKeys) {
		return fmt.Errorf("%d null-safe flags for %d keys", len(j.NullSafe), len(j.LeftKeys))
	}
	if (j.Type == logical.MarkJoin) != (j.MarkName != "") {
		return fmt.Errorf("a mark join, and only one, names its mark column (type %s, mark %q)", j.Type, j.MarkName)
	}
	if int(j.Type) >= len(joinTypesKnown) {
		return fmt.Errorf("unknown join type %d", j.Type)
	}
	l, r := j.Left.Schema(), j.Right.Schema()
	for i := range j.LeftKeys {
		if err := checkExpr(j.LeftKeys[i], l); err != nil {
			return fmt.Errorf("left key %d: %w", i, err)
		}
		if err := checkExpr(j.RightKeys[i], r); err != nil {
			return fmt.Errorf("right key %d: %w", i, err)
		}
		if j.LeftKeys[i].Type != j.RightKeys[i].Type {
			return fmt.Errorf("key %d: %s vs %s", i, j.LeftKeys[i].Type, j.RightKeys[i].Type)
		}
	}
	if j.Filter != nil {
		return checkPredicate(j.Filter, l.Concat(r))
	}
	return nil
}

func validateSort(s *logical.Sort) error {
	in := s.Input.Schema()
	for _, k := range s.Keys {
		if err := checkExpr(k.Expr, in); err != nil {
			return fmt.Errorf("sort key: %w", err)
		}
	}
	return nil
}

func validateUnion(u *logical.Union) error {
	if len(u.Inputs) == 0 {
		return errors.New("union without inputs")
	}
	first := u.Inputs[0].Schema()
	for i, in := range u.Inputs[1:] {
		s := in.Schema()
		if s.Len() != first.Len() {
			return fmt.Errorf("input %d has %d columns, input 0 has %d", i+1, s.Len(), first.Len())
		}
		for c, f := range s.Fields {
			if f.Type != first.Fields[c].Type {
				return fmt.Errorf("input %d column %d is %s, input 0 has %s", i+1, c, f.Type, first.Fields[c].Type)
			}
		}
	}
	return nil
}

func validateWrite(w *logical.Write) error {
	s := w.Input.Schema()
	for _, name := range w.PartitionBy {
		if !hasName(s, name) {
			return fmt.Errorf("partition column %q not in input (%s)", name, s)
		}
	}
	return nil
}

// validateTransform: the rules never look inside a transform (it holds no
// expressions), so only its declared output can be broken.
func validateTransform(t *logical.PluginTransform) error {
	if !strings.Contains(t.Function, ".") {
		return fmt.Errorf("transform %q is not plugin.function", t.Function)
	}
	if t.Output == nil || t.Output.Len() == 0 {
		return fmt.Errorf("transform %s declares no output columns", t.Function)
	}
	return nil
}

func hasName(s *types.Schema, name string) bool {
	for _, f := range s.Fields {
		if strings.EqualFold(f.Name, name) {
			return true
		}
	}
	return false
}

func checkPredicate(e *expr.Expr, s *types.Schema) error {
	if e == nil {
		return errors.New("nil predicate")
	}
	if e.Type.ID != types.Bool && e.Type.ID != types.Null {
		return fmt.Errorf("predicate %s is %s, not bool", e, e.Type)
	}
	return checkExpr(e, s)
}

func checkExprs(es []*expr.Expr, s *types.Schema) error {
	for _, e := range es {
		if err := checkExpr(e, s); err != nil {
			return err
		}
	}
	return nil
}

// checkExpr checks every column reference of e against s.
func checkExpr(e *expr.Expr, s *types.Schema) error {
	if e == nil {
		return errors.New("nil expression")
	}
	var err error
	expr.Walk(e, func(x *expr.Expr) bool {
		err = checkNode(x, s)
		return err == nil
	})
	if err != nil {
		return fmt.Errorf("in %s: %w", e, err)
	}
	return nil
}

func checkNode(x *expr.Expr, s *types.Schema) error {
	if x == nil {
		return errors.New("nil argument")
	}
	if x.Kind == expr.KindCall {
		for _, a := range x.Args {
			if a == nil {
				return fmt.Errorf("%s has a nil argument", x.Name)
			}
		}
		return nil
	}
	if x.Kind != expr.KindColumn {
		return nil
	}
	if x.Index < 0 || x.Index >= s.Len() {
		return fmt.Errorf("column %s: index out of range (input has %d columns)", x, s.Len())
	}
	f := s.Fields[x.Index]
	switch {
	case !strings.EqualFold(f.Name, x.Name):
		return fmt.Errorf("column %s: input column %d is %s", x, x.Index, f.QualifiedName())
	case f.Type != x.Type:
		return fmt.Errorf("column %s: type %s, input column is %s", x, x.Type, f.Type)
	case f.Nullable && !x.Nullable:
		return fmt.Errorf("column %s: marked not null, input column is nullable", x)
	}
	return nil
}
