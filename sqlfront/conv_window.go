package sqlfront

import (
	"strconv"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/sqlfront/ast"
	"github.com/drover-etl/drover/types"
)

// window registers a window function call (f OVER ...) of the block being
// converted and returns its placeholder (see window.go).
func (c *conv) window(x *ast.FuncCall) (*expr.Expr, error) {
	if c == nil || c.q == nil {
		return nil, unsupported("not supported: a window function here (at line %d, column %d); window functions work in the select list, QUALIFY and ORDER BY of SQL views", x.Line, x.Col)
	}
	if x.Filter != nil {
		return nil, unsupported("not supported: FILTER (WHERE ...) on a window function (%s)", snippet(x))
	}
	spec, err := c.windowSpec(x.Over)
	if err != nil {
		return nil, err
	}
	args, err := c.convertAll(x.Args...)
	if err != nil {
		return nil, err
	}
	for _, a := range args {
		if hasWindow(a) {
			return nil, planErr("a window function cannot take another window function as argument (%s)", snippet(x))
		}
	}
	call := &windowCall{
		name: winPrefix + strconv.Itoa(c.b.next()),
		spec: logical.WindowFuncSpec{
			Name: canonicalAgg(x.Name), Args: args, Star: x.Star, Distinct: x.Distinct,
			IgnoreNulls: x.Nulls == ast.IgnoreNulls,
		},
	}
	if call.spec.Frame, call.intervals, err = windowFrame(spec.Frame); err != nil {
		return nil, err
	}
	if call.partitionBy, err = c.convertAll(spec.PartitionBy...); err != nil {
		return nil, err
	}
	for _, o := range spec.OrderBy {
		// In a window an integer is a constant, not a select-list position.
		e, err := c.convert(o.Expr)
		if err != nil {
			return nil, err
		}
		call.orderBy = append(call.orderBy, OrderItem{Expr: e, Desc: o.Desc,
			NullsSet: o.Nulls != ast.NullsDefault, NullsFirst: o.Nulls == ast.NullsFirst})
	}
	if c.q.wins == nil {
		c.q.wins = map[string]*windowCall{}
	}
	c.q.wins[call.name] = call
	return expr.Col("", call.name), nil
}

// windowSpec resolves OVER w and OVER (w ORDER BY ...) against the
// block's WINDOW clause: a named window's partitioning, order and frame,
// refined by what the call adds (SQL forbids overriding what it has).
func (c *conv) windowSpec(s *ast.WindowSpec) (*ast.WindowSpec, error) {
	if s.Name == "" {
		return s, nil
	}
	base, ok := c.windows[s.Name]
	if !ok {
		return nil, planErr("unknown window %q (at line %d, column %d)", s.Name, s.Line, s.Col)
	}
	base, err := c.windowSpec(base)
	if err != nil {
		return nil, err
	}
	out := *base
	switch {
	case len(s.PartitionBy) > 0:
		return nil, planErr("OVER (%s PARTITION BY ...) cannot repartition a named window", s.Name)
	case len(s.OrderBy) > 0 && len(base.OrderBy) > 0:
		return nil, planErr("OVER (%s ORDER BY ...) cannot reorder a named window that has an ORDER BY", s.Name)
	case len(s.OrderBy) > 0:
		out.OrderBy = s.OrderBy
	}
	if s.Frame != nil {
		out.Frame = s.Frame
	}
	return &out, nil
}

// windowFrame converts a frame clause; nil keeps SQL's default frame.
// INTERVAL offsets come back apart: their value depends on the order
// key's type, known once it is bound.
func windowFrame(f *ast.Frame) (*logical.WindowFrame, [2]*frameInterval, error) {
	var ivs [2]*frameInterval
	if f == nil {
		return nil, ivs, nil
	}
	if f.Exclude != "" && f.Exclude != "NO OTHERS" {
		return nil, ivs, unsupported("not supported: EXCLUDE %s in a window frame", f.Exclude)
	}
	units := map[ast.FrameUnit]logical.FrameUnit{ast.FrameRows: logical.FrameRows, ast.FrameRange: logical.FrameRange, ast.FrameGroups: logical.FrameGroups}
	out := &logical.WindowFrame{Unit: units[f.Unit]}
	var err error
	if out.Start, ivs[0], err = frameBound(f.Start); err != nil {
		return nil, ivs, err
	}
	end := f.End
	if end == nil {
		end = &ast.FrameBound{Kind: ast.CurrentRow}
	}
	if out.End, ivs[1], err = frameBound(end); err != nil {
		return nil, ivs, err
	}
	return out, ivs, nil
}

// frameInterval is a RANGE offset given as an INTERVAL of days and
// microseconds.
type frameInterval struct{ days, micros int64 }

// offsetFor is the interval as a RANGE offset over a key of type t: days
// for DATE keys, microseconds for TIMESTAMP keys.
func (iv *frameInterval) offsetFor(t types.Type) (types.Value, error) {
	switch t.ID {
	case types.Date:
		if iv.micros != 0 {
			return types.Value{}, unsupported("not supported: a RANGE offset with hours or smaller over a DATE key")
		}
		return types.Int64Value(iv.days), nil
	case types.Timestamp:
		return types.Int64Value(iv.days*86_400_000_000 + iv.micros), nil
	}
	return types.Value{}, planErr("an INTERVAL frame offset needs a DATE or TIMESTAMP order key, not %s", t)
}

var boundKinds = map[ast.BoundKind]logical.BoundKind{
	ast.UnboundedPreceding: logical.UnboundedPreceding, ast.Preceding: logical.Preceding,
	ast.CurrentRow: logical.CurrentRow, ast.Following: logical.Following,
	ast.UnboundedFollowing: logical.UnboundedFollowing,
}

// frameBound reads a bound; offsets are constants: numbers, or for RANGE
// over dates and timestamps an INTERVAL.
func frameBound(b *ast.FrameBound) (logical.FrameBound, *frameInterval, error) {
	out := logical.FrameBound{Kind: boundKinds[b.Kind]}
	if b.Offset == nil {
		return out, nil, nil
	}
	switch x := b.Offset.(type) {
	case *ast.Literal:
		lit, err := convertLiteral(x)
		if err != nil {
			return out, nil, err
		}
		out.Offset = lit.Value
	case *ast.Interval:
		months, days, micros, err := intervalParts(x)
		if err != nil {
			return out, nil, err
		}
		if months != 0 {
			return out, nil, unsupported("not supported: a RANGE offset in months or years (%s)", x)
		}
		return out, &frameInterval{days: days, micros: micros}, nil
	default:
		return out, nil, unsupported("not supported: the frame offset %s; use a constant", b.Offset)
	}
	return out, nil, nil
}

// canonicalAgg maps an aggregate's SQL name to Drover's.
func canonicalAgg(name string) string {
	return canonicalFunc(name)
}
