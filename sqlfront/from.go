package sqlfront

import (
	"sort"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
)

// fromBuilder plans a FROM clause. where holds the WHERE conjuncts: a
// comma join (FROM a, b WHERE a.id = b.id) takes its keys from them.
type fromBuilder struct {
	*sqlBuilder
	where []*expr.Expr
	used  []bool
}

func splitWhere(w *expr.Expr) []*expr.Expr {
	if w == nil {
		return nil
	}
	return splitAnd(w)
}

// remainingWhere is the WHERE without the conjuncts joins consumed.
func (f *fromBuilder) remainingWhere() *expr.Expr {
	var rest []*expr.Expr
	for i, c := range f.where {
		if i >= len(f.used) || !f.used[i] {
			rest = append(rest, c)
		}
	}
	if len(rest) == 0 {
		return nil
	}
	return andAll(rest)
}

func (f *fromBuilder) relation(n ast.ResultSetNode) (logical.Node, error) {
	switch x := n.(type) {
	case *ast.TableSource:
		return f.tableSource(x)
	case *ast.Join:
		return f.join(x)
	}
	return nil, unsupported("%T in FROM is not supported", n)
}

func (f *fromBuilder) tableSource(x *ast.TableSource) (logical.Node, error) {
	alias := x.AsName.O
	switch s := x.Source.(type) {
	case *ast.TableName:
		if s.Schema.O != "" {
			return nil, unsupported("database-qualified names like %s.%s are not supported", s.Schema.O, s.Name.O)
		}
		node, name, err := f.lookup(s.Name.O)
		if err != nil {
			return nil, err
		}
		if alias == "" {
			alias = name
		}
		return Qualify(node, alias), nil
	case *ast.SelectStmt, *ast.SetOprStmt:
		if x.Lateral {
			return nil, unsupported("LATERAL is not supported")
		}
		return f.query(s, alias)
	case *ast.Join:
		node, err := f.join(s)
		if err != nil || alias == "" {
			return node, err
		}
		return Qualify(node, alias), nil
	}
	return nil, unsupported("%T in FROM is not supported", x.Source)
}

// lookup finds a relation by name, exactly or else ignoring case.
func (f *fromBuilder) lookup(name string) (logical.Node, string, error) {
	if n, ok := f.rels[name]; ok {
		return n, name, nil
	}
	var known []string
	for k, n := range f.rels {
		if strings.EqualFold(k, name) {
			return n, k, nil
		}
		known = append(known, k)
	}
	sort.Strings(known)
	return nil, "", unknownRelation(name, known)
}

func (f *fromBuilder) join(x *ast.Join) (logical.Node, error) {
	left, err := f.relation(x.Left)
	if err != nil || x.Right == nil {
		return left, err
	}
	right, err := f.relation(x.Right)
	if err != nil {
		return nil, err
	}
	switch {
	case x.NaturalJoin || x.Using != nil:
		return nil, unsupported("NATURAL JOIN and JOIN ... USING are not supported; write the condition with ON")
	case x.Tp == ast.RightJoin:
		return nil, unsupported("RIGHT JOIN is not supported; write it as a LEFT JOIN with the two sides swapped")
	case x.StraightJoin:
		return nil, unsupported("STRAIGHT_JOIN is not supported")
	}
	typ := logical.InnerJoin
	if x.Tp == ast.LeftJoin {
		typ = logical.LeftJoin
	}
	if x.On == nil {
		return f.commaJoin(left, right)
	}
	on, err := convert(x.On.Expr)
	if err != nil {
		return nil, err
	}
	return PlanJoin(left, right, typ, on, f.funcs)
}

// commaJoin joins FROM a, b (or CROSS JOIN) on the WHERE conjuncts that
// compare a column of one side with a column of the other.
func (f *fromBuilder) commaJoin(left, right logical.Node) (logical.Node, error) {
	both := left.Schema().Concat(right.Schema())
	nLeft := left.Schema().Len()
	f.used = append(f.used, make([]bool, len(f.where)-len(f.used))...)
	var on []*expr.Expr
	for i, c := range f.where {
		if f.used[i] || HasAggregate(c) {
			continue
		}
		b, err := expr.Bind(c, both, f.funcs)
		if err != nil {
			continue // names a relation joined later, or is wrong: WHERE reports it
		}
		if _, _, ok := equiKey(b, nLeft); ok {
			on = append(on, c)
			f.used[i] = true
		}
	}
	if len(on) == 0 {
		return nil, planErr("join needs an equality condition between the two sides; with FROM a, b put one like a.id = b.id in WHERE")
	}
	return PlanJoin(left, right, logical.InnerJoin, andAll(on), f.funcs)
}

// with plans the common table expressions of a WITH clause and returns a
// builder that also sees them.
func (b *sqlBuilder) with(w *ast.WithClause) (*sqlBuilder, error) {
	if w == nil {
		return b, nil
	}
	if w.IsRecursive {
		return nil, unsupported("WITH RECURSIVE is not supported")
	}
	rels := make(map[string]logical.Node, len(b.rels)+len(w.CTEs))
	for k, v := range b.rels {
		rels[k] = v
	}
	nb := &sqlBuilder{rels: rels, funcs: b.funcs}
	for _, cte := range w.CTEs {
		if len(cte.ColNameList) > 0 {
			return nil, unsupported("column lists in WITH %s(...) are not supported", cte.Name.O)
		}
		node, err := nb.query(cte.Query, cte.Name.O)
		if err != nil {
			return nil, clauseErr("with "+cte.Name.O, -1, err)
		}
		rels[cte.Name.O] = node
	}
	return nb, nil
}
