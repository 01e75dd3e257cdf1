package optimizer

import (
	"strings"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// scan builds a scan of source name with columns "name:type", a trailing
// "?" marking a nullable column: scan("orders", 1<<30, "id:int64", "note:string?").
func scan(name string, size int64, cols ...string) *logical.Scan {
	s := &types.Schema{}
	for _, c := range cols {
		nm, typ, _ := strings.Cut(c, ":")
		nullable := strings.HasSuffix(typ, "?")
		t, err := types.Parse(strings.TrimSuffix(typ, "?"))
		if err != nil {
			panic(err)
		}
		s.Fields = append(s.Fields, types.Field{Qualifier: name, Name: nm, Type: t, Nullable: nullable})
	}
	return &logical.Scan{Source: name, Format: "parquet", Path: "data/" + name, Table: s, SizeBytes: size}
}

// col binds a reference "q.name" or "name" against n's output schema.
func col(n logical.Node, ref string) *expr.Expr { return colIn(n.Schema(), ref) }

func colIn(s *types.Schema, ref string) *expr.Expr {
	q, name, ok := strings.Cut(ref, ".")
	if !ok {
		q, name = "", ref
	}
	i, err := s.Resolve(q, name)
	if err != nil {
		panic(err)
	}
	return expr.BoundCol(i, s.Fields[i])
}

// joinCol binds a reference against a join's left ++ right schema.
func joinCol(l, r logical.Node, ref string) *expr.Expr {
	return colIn(l.Schema().Concat(r.Schema()), ref)
}

func lit(v any) *expr.Expr {
	switch x := v.(type) {
	case int:
		return expr.Lit(types.Int64Value(int64(x)))
	case string:
		return expr.Lit(types.StringValue(x))
	case bool:
		return expr.Lit(types.BoolValue(x))
	case float64:
		return expr.Lit(types.Float64Value(x))
	case types.Value:
		return expr.Lit(x)
	}
	panic("lit: unsupported literal")
}

func call(name string, t types.Type, args ...*expr.Expr) *expr.Expr {
	c := expr.Call(name, args...)
	c.Type = t
	for _, a := range args {
		c.Nullable = c.Nullable || a.Nullable
	}
	return c
}

func eq(a, b *expr.Expr) *expr.Expr  { return call(expr.FnEq, types.BoolType, a, b) }
func gt(a, b *expr.Expr) *expr.Expr  { return call(expr.FnGt, types.BoolType, a, b) }
func lt(a, b *expr.Expr) *expr.Expr  { return call(expr.FnLt, types.BoolType, a, b) }
func not(a *expr.Expr) *expr.Expr    { return call(expr.FnNot, types.BoolType, a) }
func add(a, b *expr.Expr) *expr.Expr { return call(expr.FnAdd, a.Type, a, b) }
func and(es ...*expr.Expr) *expr.Expr {
	return conjoin(es)
}
func or(a, b *expr.Expr) *expr.Expr { return call(expr.FnOr, types.BoolType, a, b) }

func isNull(a *expr.Expr) *expr.Expr {
	c := call(expr.FnIsNull, types.BoolType, a)
	c.Nullable = false
	return c
}

// twice is a plugin call (the name has a dot): test.twice(x) = 2x.
func twice(a *expr.Expr) *expr.Expr { return call("test.twice", a.Type, a) }

func filter(n logical.Node, cond *expr.Expr) *logical.Filter {
	return &logical.Filter{Input: n, Cond: cond}
}

// project builds a Project from alternating name, expression pairs.
func project(n logical.Node, pairs ...any) *logical.Project {
	p := &logical.Project{Input: n}
	for i := 0; i < len(pairs); i += 2 {
		p.Names = append(p.Names, pairs[i].(string))
		p.Exprs = append(p.Exprs, pairs[i+1].(*expr.Expr))
	}
	return p
}

func join(t logical.JoinType, l, r logical.Node, lk, rk string) *logical.Join {
	return &logical.Join{Left: l, Right: r, Type: t,
		LeftKeys: []*expr.Expr{col(l, lk)}, RightKeys: []*expr.Expr{col(r, rk)}}
}

func aggr(fn expr.AggFunc, arg *expr.Expr, name string) logical.AggExpr {
	a := logical.AggExpr{Func: fn, Arg: arg, Name: name}
	switch {
	case fn == expr.AggCount || fn == expr.AggCountStar:
		a.Type = types.Int64Type
	case fn == expr.AggAvg:
		a.Type = types.Float64Type
	case fn == expr.AggSum && arg.Type.IsInteger():
		a.Type = types.Int64Type
	default:
		a.Type = arg.Type
	}
	return a
}

func groupBy(n logical.Node, groups []string, aggs ...logical.AggExpr) *logical.Aggregate {
	a := &logical.Aggregate{Input: n, Aggs: aggs}
	for _, g := range groups {
		c := col(n, g)
		a.GroupBy = append(a.GroupBy, c)
		a.GroupNames = append(a.GroupNames, c.Name)
	}
	return a
}

func write(n logical.Node) *logical.Write {
	return &logical.Write{Input: n, Sink: "out", Format: "parquet", Path: "out/"}
}

func planOf(ws ...*logical.Write) *logical.Plan { return &logical.Plan{Job: "test", Sinks: ws} }

// applyOne runs one rule on n, checking n and the result with Validate and
// that the root schema is unchanged.
func applyOne(t *testing.T, r Rule, n logical.Node, cfg Config) logical.Node {
	t.Helper()
	if err := Validate(n); err != nil {
		t.Fatalf("input plan invalid: %v\n%s", err, logical.Format(n))
	}
	out, err := r.Apply(n, cfg)
	if err != nil {
		t.Fatalf("%s: %v", r.Name, err)
	}
	if err := Validate(out); err != nil {
		t.Fatalf("%s produced an invalid plan: %v\n%s", r.Name, err, logical.Format(out))
	}
	if got, want := shape(out), shape(n); got != want {
		t.Fatalf("%s changed the root schema:\n got %s\nwant %s", r.Name, got, want)
	}
	return out
}

// checkFormat compares logical.Format output, ignoring surrounding space.
func checkFormat(t *testing.T, got logical.Node, want string) {
	t.Helper()
	g := strings.TrimSpace(logical.Format(got))
	w := strings.TrimSpace(dedent(want))
	if g != w {
		t.Errorf("plan mismatch\n--- got\n%s\n--- want\n%s", g, w)
	}
}

// dedent strips the common leading tabs of a raw-string plan literal.
func dedent(s string) string {
	lines := strings.Split(strings.Trim(s, "\n"), "\n")
	strip := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, "\t"))
		if strip < 0 || n < strip {
			strip = n
		}
	}
	for i, l := range lines {
		if len(l) >= strip {
			lines[i] = l[strip:]
		}
	}
	return strings.Join(lines, "\n")
}

// shape is a schema's names and types: what rules must preserve at the
// root (qualifiers may go).
func shape(n logical.Node) string {
	var parts []string
	for _, f := range n.Schema().Fields {
		parts = append(parts, f.Name+":"+f.Type.String())
	}
	return strings.Join(parts, ", ")
}
