package eval

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// inNode is x IN (list). Constant list items become one set lookup per row
// (through a dictionary's values when x is dictionary-encoded); other items
// are compared one by one and ORed in with Kleene logic, so a NULL item or
// NULL x makes a non-match NULL.
type inNode struct {
	x      node
	set    *callNode
	others []node
	eq     *callNode
}

func buildIn(c *compiler, e *expr.Expr, args []node) (node, error) {
	if len(args) < 2 {
		return nil, invalidf("in needs a value and a list")
	}
	t := e.Args[0].Type
	n := &inNode{x: args[0], eq: compareNode(opEq, t, []node{args[0], args[0]})}
	var consts []types.Value
	for i, a := range args[1:] {
		if at := e.Args[i+1].Type; at != t && at.ID != types.Null && t.ID != types.Null {
			return nil, invalidf("in: list item of type %s, value %s", at, t)
		}
		if lit, ok := a.(*litNode); ok {
			consts = append(consts, lit.val)
			continue
		}
		n.others = append(n.others, a)
	}
	if len(consts) > 0 {
		n.set = newCall(expr.FnIn, types.BoolType, []node{args[0]}, inSetKernel(t, consts), strict|liftable, 0)
	}
	return n, nil
}

func (n *inNode) resultType() types.Type { return types.BoolType }

func (n *inNode) eval(b *batch) (datum, error) {
	x, err := n.x.eval(b)
	if err != nil {
		return datum{}, err
	}
	defer x.release()
	acc := scalarDatum(types.BoolValue(false))
	if n.set != nil {
		if acc, err = n.set.apply(b, []datum{x}); err != nil {
			return datum{}, err
		}
	}
	for _, o := range n.others {
		next, err := n.orEqual(b, x, o, acc)
		acc.release()
		if err != nil {
			return datum{}, err
		}
		acc = next
	}
	return acc, nil
}

func (n *inNode) orEqual(b *batch, x datum, o node, acc datum) (datum, error) {
	od, err := o.eval(b)
	if err != nil {
		return datum{}, err
	}
	defer od.release()
	eq, err := n.eq.apply(b, []datum{x, od})
	if err != nil {
		return datum{}, err
	}
	defer eq.release()
	return kleene(b, true, acc, eq), nil
}

// inSetKernel matches a column against constant values; with a NULL among
// them a non-match is NULL.
func inSetKernel(t types.Type, consts []types.Value) kernel {
	hasNull := false
	var vals []types.Value
	for _, v := range consts {
		if v.Null {
			hasNull = true
		} else {
			vals = append(vals, v)
		}
	}
	match := setMatcher(t, vals)
	return func(b *batch, args []datum) (arrow.Array, error) {
		x := args[0].arr
		data := newBitmap(b.mem, b.n)
		match(x, data.Bytes())
		valid, _ := validAnd(b.mem, b.n, x)
		if hasNull {
			if valid == nil {
				valid = newBitmap(b.mem, b.n)
				copy(valid.Bytes(), ones(b.n))
			}
			v, d := valid.Bytes(), data.Bytes()
			for i := range v {
				v[i] &= d[i]
			}
		}
		return boolArray(b.n, data, valid, nullCount(valid, b.n)), nil
	}
}

// setMatcher returns a function writing the match bitmap for a column.
func setMatcher(t types.Type, vals []types.Value) func(arrow.Array, []byte) {
	switch t.ID {
	case types.Int32, types.Date:
		return fixedMatcher(newLookup(constsAs[int32](vals)))
	case types.Int64, types.Timestamp:
		return fixedMatcher(newLookup(constsAs[int64](vals)))
	case types.Float32:
		return floatMatcher(constsAs[float32](vals))
	case types.Float64:
		return floatMatcher(constsAs[float64](vals))
	case types.Decimal:
		return fixedMatcher(newLookup(constsAs[decimal128.Num](vals)))
	case types.Bool:
		return fixedMatcher(newLookup(constsAs[uint8](vals)))
	}
	ss := make([]string, len(vals))
	for i, v := range vals {
		ss[i] = v.S
	}
	return stringMatcher(newLookup(ss))
}

func constsAs[T fixed](vals []types.Value) []T {
	out := make([]T, len(vals))
	for i, v := range vals {
		out[i] = scalarAs[T](v)
	}
	return out
}

// lookup is a set: a short list scans faster than a map hashes.
type lookup[T comparable] struct {
	list []T
	m    map[T]struct{}
}

func newLookup[T comparable](vs []T) *lookup[T] {
	l := &lookup[T]{list: vs}
	if len(vs) > 8 {
		l.m = make(map[T]struct{}, len(vs))
		for _, v := range vs {
			l.m[v] = struct{}{}
		}
	}
	return l
}

func (l *lookup[T]) has(v T) bool {
	if l.m != nil {
		_, ok := l.m[v]
		return ok
	}
	for _, x := range l.list {
		if x == v {
			return true
		}
	}
	return false
}

func fixedMatcher[T fixed](l *lookup[T]) func(arrow.Array, []byte) {
	return func(a arrow.Array, out []byte) {
		var in []T
		if ba, ok := a.(*array.Boolean); ok {
			in = any(unpackBools(ba)).([]T)
		} else {
			in = values[T](a)
		}
		var tmp [chunk]bool
		for base := 0; base < len(in); base += chunk {
			x := in[base:min(base+chunk, len(in))]
			r := tmp[:len(x)]
			for i, v := range x {
				r[i] = l.has(v)
			}
			packBools(out, base, r)
		}
	}
}

// floatMatcher treats NaN as equal to NaN, like the comparisons.
func floatMatcher[T float32 | float64](vals []T) func(arrow.Array, []byte) {
	nan := false
	var rest []T
	for _, v := range vals {
		if v != v {
			nan = true
		} else {
			rest = append(rest, v)
		}
	}
	l := newLookup(rest)
	return func(a arrow.Array, out []byte) {
		in := values[T](a)
		var tmp [chunk]bool
		for base := 0; base < len(in); base += chunk {
			x := in[base:min(base+chunk, len(in))]
			r := tmp[:len(x)]
			for i, v := range x {
				r[i] = l.has(v) || (nan && v != v)
			}
			packBools(out, base, r)
		}
	}
}

func stringMatcher(l *lookup[string]) func(arrow.Array, []byte) {
	return func(a arrow.Array, out []byte) {
		s := a.(*array.String)
		var tmp [chunk]bool
		for base := 0; base < s.Len(); base += chunk {
			r := tmp[:min(chunk, s.Len()-base)]
			for i := range r {
				r[i] = l.has(s.Value(base + i))
			}
			packBools(out, base, r)
		}
	}
}
