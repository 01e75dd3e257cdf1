package sqlfront

import (
	"sort"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/sqlfront/ast"
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

// remaining lists the WHERE conjuncts the joins did not consume.
func (f *fromBuilder) remaining() []*expr.Expr {
	var rest []*expr.Expr
	for i, c := range f.where {
		if i >= len(f.used) || !f.used[i] {
			rest = append(rest, c)
		}
	}
	return rest
}

// fromList plans the comma-separated entries of FROM, joined on WHERE
// equalities. Each step joins the first remaining entry that has an
// equality with what is joined so far (FROM part, supplier, lineitem
// joins lineitem before supplier); the columns are then put back in the
// order of the FROM list.
func (f *fromBuilder) fromList(refs []ast.TableRef) (logical.Node, error) {
	if len(refs) == 0 {
		return logical.OneRow(), nil // SELECT without FROM
	}
	nodes := make([]logical.Node, len(refs))
	for i, r := range refs {
		node, err := f.relation(r)
		if err != nil {
			return nil, err
		}
		nodes[i] = node
	}
	acc, order := nodes[0], []int{0}
	joined := map[int]bool{0: true}
	for len(order) < len(nodes) {
		next := f.nextJoinable(acc, nodes, joined)
		node, err := f.commaJoin(acc, nodes[next], "")
		if err != nil {
			return nil, err
		}
		acc = node
		order = append(order, next)
		joined[next] = true
	}
	return restoreFromOrder(acc, nodes, order), nil
}

// nextJoinable is the first entry not yet joined that some unused WHERE
// conjunct joins to acc by an equality; the first one not joined when
// none is (commaJoin then reports the missing condition).
func (f *fromBuilder) nextJoinable(acc logical.Node, nodes []logical.Node, joined map[int]bool) int {
	first := -1
	for i, n := range nodes {
		if joined[i] {
			continue
		}
		if first < 0 {
			first = i
		}
		if f.hasEquality(acc, n) {
			return i
		}
	}
	return first
}

// hasEquality reports whether an unused WHERE conjunct is an equality
// between a column expression of left and one of right.
func (f *fromBuilder) hasEquality(left, right logical.Node) bool {
	both := left.Schema().Concat(right.Schema())
	for i, c := range f.where {
		if (i < len(f.used) && f.used[i]) || HasAggregate(c) {
			continue
		}
		if b, err := expr.Bind(c, both, f.funcs); err == nil {
			if _, _, ok := equiKey(b, left.Schema().Len()); ok {
				return true
			}
		}
	}
	return false
}

// restoreFromOrder projects the columns of acc, joined in order, back
// into the order of the FROM list; acc itself when that is the same.
func restoreFromOrder(acc logical.Node, nodes []logical.Node, order []int) logical.Node {
	start := make([]int, len(nodes)) // where each entry's columns begin in acc
	off, inOrder := 0, true
	for k, i := range order {
		start[i] = off
		off += nodes[i].Schema().Len()
		inOrder = inOrder && i == k
	}
	if inOrder {
		return acc
	}
	var cols []int
	for i, n := range nodes {
		for c := range n.Schema().Len() {
			cols = append(cols, start[i]+c)
		}
	}
	return pickColumns(acc, cols)
}

func (f *fromBuilder) relation(r ast.TableRef) (logical.Node, error) {
	switch x := r.(type) {
	case *ast.Table:
		return f.table(x)
	case *ast.Derived:
		return f.derived(x)
	case *ast.Join:
		return f.join(x)
	}
	return nil, unsupported("not supported: %s in FROM", snippet(r))
}

func (f *fromBuilder) table(t *ast.Table) (logical.Node, error) {
	if t.Schema != "" {
		return nil, unsupported("not supported: schema-qualified names like %s.%s", t.Schema, t.Name)
	}
	node, name, err := f.lookup(t.Name)
	if err != nil {
		return nil, err
	}
	if t.Alias == nil {
		return Qualify(node, name), nil
	}
	return renameColumns(node, t.Alias.Name, t.Alias.Columns)
}

func (f *fromBuilder) derived(d *ast.Derived) (logical.Node, error) {
	name := ""
	if d.Alias != nil {
		name = d.Alias.Name
	}
	node, err := f.query(d.Query, name)
	if err != nil || d.Alias == nil {
		return node, err
	}
	return renameColumns(node, name, d.Alias.Columns)
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

// commaJoin joins FROM a, b (or a CROSS JOIN b) on the WHERE conjuncts
// that compare a column of one side with a column of the other. kind is
// "" for a comma, else the join's SQL for messages.
func (f *fromBuilder) commaJoin(left, right logical.Node, kind string) (logical.Node, error) {
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
		// A cross product; conditions on both sides left in WHERE become
		// the join's filter in the optimizer.
		if err := checkDistinctRelations(left.Schema(), right.Schema()); err != nil {
			return nil, err
		}
		return &logical.Join{Left: left, Right: right, Type: logical.InnerJoin}, nil
	}
	return PlanJoin(left, right, logical.InnerJoin, andAll(on), f.funcs)
}

// with plans the common table expressions of a WITH clause and returns a
// builder that also sees them.
func (b *sqlBuilder) with(w *ast.With) (*sqlBuilder, error) {
	if w == nil {
		return b, nil
	}
	rels := make(map[string]logical.Node, len(b.rels)+len(w.CTEs))
	for k, v := range b.rels {
		rels[k] = v
	}
	if b.seq == nil {
		b.seq = new(int)
	}
	nb := &sqlBuilder{rels: rels, funcs: b.funcs, seq: b.seq}
	for _, cte := range w.CTEs {
		node, err := nb.query(cte.Query, cte.Name)
		if err == nil {
			node, err = renameColumns(node, cte.Name, cte.Columns)
		}
		if err != nil {
			return nil, clauseErr("with "+cte.Name, -1, err)
		}
		rels[cte.Name] = node
	}
	return nb, nil
}

// renameColumns qualifies the columns of n by name and renames the first
// len(cols) of them, as a column list "AS t(a, b)" does.
func renameColumns(n logical.Node, name string, cols []string) (logical.Node, error) {
	if len(cols) == 0 {
		return Qualify(n, name), nil
	}
	s := n.Schema()
	if len(cols) > s.Len() {
		return nil, planErr("%s(...) names %d columns, but the relation has %d", name, len(cols), s.Len())
	}
	p := &logical.Project{Input: n, Qualifier: name}
	seen := map[string]bool{}
	for i, f := range s.Fields {
		colName := f.Name
		if i < len(cols) {
			colName = cols[i]
		}
		if seen[strings.ToLower(colName)] {
			return nil, planErr("%s(...) gives two columns the name %q", name, colName)
		}
		seen[strings.ToLower(colName)] = true
		p.Exprs = append(p.Exprs, expr.BoundCol(i, f))
		p.Names = append(p.Names, colName)
	}
	return p, nil
}
