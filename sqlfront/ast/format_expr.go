package ast

import "strings"

func (l *Literal) String() string {
	switch l.Kind {
	case LitNull:
		return "NULL"
	case LitBool:
		return strings.ToUpper(l.Text)
	case LitString:
		return QuoteString(l.Text)
	}
	return l.Text
}

func (t *TypedLiteral) String() string { return t.Type + " " + QuoteString(t.Value) }

func (i *Interval) String() string {
	s := "INTERVAL " + i.Value.String()
	if i.Unit != "" {
		s += " " + i.Unit
	}
	if i.ToUnit != "" {
		s += " TO " + i.ToUnit
	}
	return s
}

func (c *ColumnRef) String() string {
	s := QuoteIdent(c.Name)
	if c.Table != "" {
		s = QuoteIdent(c.Table) + "." + s
	}
	if c.Schema != "" {
		s = QuoteIdent(c.Schema) + "." + s
	}
	return s
}

func (u *Unary) String() string {
	if u.Op == OpNot {
		return "(NOT " + u.X.String() + ")"
	}
	return "(" + string(u.Op) + u.X.String() + ")"
}

func (b *Binary) String() string {
	return "(" + b.L.String() + " " + string(b.Op) + " " + b.R.String() + ")"
}

func not(n bool) string {
	if n {
		return "NOT "
	}
	return ""
}

func (x *IsNull) String() string { return "(" + x.X.String() + " IS " + not(x.Not) + "NULL)" }

func (x *IsBool) String() string {
	v := "FALSE"
	if x.Value {
		v = "TRUE"
	}
	return "(" + x.X.String() + " IS " + not(x.Not) + v + ")"
}

func (x *IsDistinct) String() string {
	return "(" + x.L.String() + " IS " + not(x.Not) + "DISTINCT FROM " + x.R.String() + ")"
}

func (x *Between) String() string {
	return "(" + x.X.String() + " " + not(x.Not) + "BETWEEN " + x.Lo.String() + " AND " + x.Hi.String() + ")"
}

func (x *InList) String() string {
	return "(" + x.X.String() + " " + not(x.Not) + "IN (" + joinNodes(x.List) + "))"
}

func (x *InSubquery) String() string {
	return "(" + x.X.String() + " " + not(x.Not) + "IN " + parenQuery(x.Query) + ")"
}

func (x *Like) String() string {
	op := "LIKE "
	if x.ILike {
		op = "ILIKE "
	}
	s := "(" + x.X.String() + " " + not(x.Not) + op + x.Pattern.String()
	if x.Escape != nil {
		s += " ESCAPE " + x.Escape.String()
	}
	return s + ")"
}

func (x *Exists) String() string   { return "EXISTS " + parenQuery(x.Query) }
func (x *Subquery) String() string { return parenQuery(x.Query) }

func (x *Quantified) String() string {
	q := " ANY "
	if x.All {
		q = " ALL "
	}
	return "(" + x.L.String() + " " + string(x.Op) + q + parenQuery(x.Query) + ")"
}

func (x *Case) String() string {
	var sb strings.Builder
	sb.WriteString("CASE")
	if x.Operand != nil {
		sb.WriteString(" " + x.Operand.String())
	}
	for _, w := range x.Whens {
		sb.WriteString(" " + w.String())
	}
	if x.Else != nil {
		sb.WriteString(" ELSE " + x.Else.String())
	}
	sb.WriteString(" END")
	return sb.String()
}

func (w *When) String() string { return "WHEN " + w.Cond.String() + " THEN " + w.Result.String() }

func (x *Cast) String() string {
	fn := "CAST("
	if x.Try {
		fn = "TRY_CAST("
	}
	return fn + x.X.String() + " AS " + x.Type.String() + ")"
}

func (t *TypeName) String() string {
	if len(t.Args) == 0 {
		return t.Name
	}
	args := make([]string, len(t.Args))
	for i, a := range t.Args {
		args[i] = itoa(a)
	}
	return t.Name + "(" + strings.Join(args, ",") + ")"
}

func (f *FuncCall) String() string {
	var sb strings.Builder
	if f.Schema != "" {
		sb.WriteString(QuoteIdent(f.Schema) + ".")
	}
	name := QuoteIdent(f.Name)
	if f.Name == "left" || f.Name == "right" {
		name = f.Name // reserved, but a function name before "("
	}
	sb.WriteString(name + "(")
	if f.Distinct {
		sb.WriteString("DISTINCT ")
	}
	if f.Star {
		sb.WriteString("*")
	}
	sb.WriteString(joinNodes(f.Args) + ")")
	switch f.Nulls {
	case IgnoreNulls:
		sb.WriteString(" IGNORE NULLS")
	case RespectNulls:
		sb.WriteString(" RESPECT NULLS")
	}
	if len(f.WithinGroup) > 0 {
		items := make([]string, len(f.WithinGroup))
		for i, o := range f.WithinGroup {
			items[i] = o.String()
		}
		sb.WriteString(" WITHIN GROUP (ORDER BY " + strings.Join(items, ", ") + ")")
	}
	if f.Filter != nil {
		sb.WriteString(" FILTER (WHERE " + f.Filter.String() + ")")
	}
	if f.Over != nil {
		sb.WriteString(" OVER " + f.Over.String())
	}
	return sb.String()
}

func (w *WindowSpec) String() string {
	if w.Name != "" && w.PartitionBy == nil && w.OrderBy == nil && w.Frame == nil {
		return QuoteIdent(w.Name)
	}
	return "(" + w.body() + ")"
}

// body is the spec without its parentheses.
func (w *WindowSpec) body() string {
	var parts []string
	if w.Name != "" {
		parts = append(parts, QuoteIdent(w.Name))
	}
	if len(w.PartitionBy) > 0 {
		parts = append(parts, "PARTITION BY "+joinNodes(w.PartitionBy))
	}
	if len(w.OrderBy) > 0 {
		parts = append(parts, "ORDER BY "+joinNodes(w.OrderBy))
	}
	if w.Frame != nil {
		parts = append(parts, w.Frame.String())
	}
	return strings.Join(parts, " ")
}

func (f *Frame) String() string {
	s := string(f.Unit) + " "
	if f.End == nil {
		s += f.Start.String()
	} else {
		s += "BETWEEN " + f.Start.String() + " AND " + f.End.String()
	}
	if f.Exclude != "" {
		s += " EXCLUDE " + f.Exclude
	}
	return s
}

func (b *FrameBound) String() string {
	switch b.Kind {
	case UnboundedPreceding:
		return "UNBOUNDED PRECEDING"
	case Preceding:
		return b.Offset.String() + " PRECEDING"
	case CurrentRow:
		return "CURRENT ROW"
	case Following:
		return b.Offset.String() + " FOLLOWING"
	}
	return "UNBOUNDED FOLLOWING"
}

func (x *Extract) String() string { return "EXTRACT(" + x.Field + " FROM " + x.X.String() + ")" }

func (x *Trim) String() string {
	s := "TRIM("
	if x.Where != "" {
		s += x.Where + " "
	}
	if x.Chars != nil {
		s += x.Chars.String() + " "
	}
	if x.Where != "" || x.Chars != nil {
		s += "FROM "
	}
	return s + x.X.String() + ")"
}
