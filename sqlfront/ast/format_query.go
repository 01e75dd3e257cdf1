package ast

import (
	"strconv"
	"strings"
)

// String methods print SQL that parses back to an equal tree: every
// operator application is parenthesized, identifiers are quoted where
// needed, and keywords are upper-case. They serve error messages and
// golden tests, not pretty-printing.

func (q *Query) String() string {
	var sb strings.Builder
	if q.With != nil {
		sb.WriteString(q.With.String())
		sb.WriteByte(' ')
	}
	sb.WriteString(bodyString(q.Body))
	if len(q.OrderBy) > 0 {
		sb.WriteString(" ORDER BY ")
		sb.WriteString(joinNodes(q.OrderBy))
	}
	if q.Limit != nil {
		sb.WriteString(" LIMIT " + q.Limit.String())
	}
	if q.Offset != nil {
		sb.WriteString(" OFFSET " + q.Offset.String())
	}
	return sb.String()
}

// bodyString prints a query body; a parenthesized query keeps its
// parentheses. Set operations need none of their own: the parser builds
// them by precedence, and explicit parentheses are *Query bodies.
func bodyString(b QueryBody) string {
	if q, ok := b.(*Query); ok {
		return parenQuery(q)
	}
	return b.String()
}

func (w *With) String() string {
	s := "WITH "
	if w.Recursive {
		s += "RECURSIVE "
	}
	return s + joinNodes(w.CTEs)
}

func (c *CTE) String() string {
	return QuoteIdent(c.Name) + columnList(c.Columns) + " AS " + parenQuery(c.Query)
}

func (s *Select) String() string {
	var sb strings.Builder
	sb.WriteString("SELECT ")
	if s.Distinct {
		sb.WriteString("DISTINCT ")
	}
	sb.WriteString(joinNodes(s.Items))
	if len(s.From) > 0 {
		sb.WriteString(" FROM " + joinNodes(s.From))
	}
	if s.Where != nil {
		sb.WriteString(" WHERE " + s.Where.String())
	}
	if s.GroupBy != nil {
		sb.WriteString(" GROUP BY " + joinNodes(s.GroupBy))
	}
	if s.Having != nil {
		sb.WriteString(" HAVING " + s.Having.String())
	}
	if len(s.Windows) > 0 {
		sb.WriteString(" WINDOW " + joinNodes(s.Windows))
	}
	if s.Qualify != nil {
		sb.WriteString(" QUALIFY " + s.Qualify.String())
	}
	return sb.String()
}

func (it *SelectItem) String() string {
	switch {
	case it.Star && it.StarQualifier != "":
		return QuoteIdent(it.StarQualifier) + ".*"
	case it.Star:
		return "*"
	case it.Alias != "":
		return it.Expr.String() + " AS " + QuoteIdent(it.Alias)
	}
	return it.Expr.String()
}

func (s *SetOp) String() string {
	op := " " + s.Op.String() + " "
	if s.All {
		op = " " + s.Op.String() + " ALL "
	}
	return bodyString(s.Left) + op + bodyString(s.Right)
}

func (v *Values) String() string {
	rows := make([]string, len(v.Rows))
	for i, r := range v.Rows {
		rows[i] = "(" + joinNodes(r) + ")"
	}
	return "VALUES " + strings.Join(rows, ", ")
}

func (o *OrderItem) String() string {
	s := o.Expr.String()
	if o.Desc {
		s += " DESC"
	}
	switch o.Nulls {
	case NullsFirst:
		s += " NULLS FIRST"
	case NullsLast:
		s += " NULLS LAST"
	}
	return s
}

func (g *GroupItem) String() string {
	switch g.Kind {
	case GroupExpr:
		return g.Exprs[0].String()
	case GroupList:
		return "(" + joinNodes(g.Exprs) + ")"
	case GroupRollup:
		return "ROLLUP (" + joinNodes(g.Items) + ")"
	case GroupCube:
		return "CUBE (" + joinNodes(g.Items) + ")"
	}
	return "GROUPING SETS (" + joinNodes(g.Items) + ")"
}

func (w *NamedWindow) String() string {
	return QuoteIdent(w.Name) + " AS (" + w.Spec.body() + ")"
}

func (t *Table) String() string {
	s := QuoteIdent(t.Name)
	if t.Schema != "" {
		s = QuoteIdent(t.Schema) + "." + s
	}
	return s + t.Alias.suffix()
}

func (a *Alias) String() string { return QuoteIdent(a.Name) + columnList(a.Columns) }

// suffix is " AS alias", or "" for a nil alias.
func (a *Alias) suffix() string {
	if a == nil {
		return ""
	}
	return " AS " + a.String()
}

func (d *Derived) String() string {
	s := ""
	if d.Lateral {
		s = "LATERAL "
	}
	return s + parenQuery(d.Query) + d.Alias.suffix()
}

func (j *Join) String() string {
	s := "(" + j.Left.String() + " "
	if j.Natural {
		s += "NATURAL "
	}
	s += j.Type.String() + " " + j.Right.String()
	switch {
	case j.On != nil:
		s += " ON " + j.On.String()
	case j.Using != nil:
		s += " USING" + columnList(j.Using)
	}
	return s + ")"
}

// parenQuery prints a query in the parentheses a subquery needs.
func parenQuery(q *Query) string { return "(" + q.String() + ")" }

func columnList(cols []string) string {
	if cols == nil {
		return ""
	}
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = QuoteIdent(c)
	}
	return "(" + strings.Join(q, ", ") + ")"
}

func joinNodes[T Node](ns []T) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = n.String()
	}
	return strings.Join(parts, ", ")
}

func itoa(n int) string { return strconv.Itoa(n) }
