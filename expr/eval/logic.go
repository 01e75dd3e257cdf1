package eval

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// logicNode is an n-ary AND or OR with Kleene logic. It stops early when
// the result so far is all FALSE (AND) or all TRUE (OR): the remaining
// operands cannot change it.
type logicNode struct {
	or   bool
	args []node
}

func buildAndOr(c *compiler, e *expr.Expr, args []node) (node, error) {
	if len(args) < 2 {
		return nil, invalidf("%s takes at least 2 arguments", e.Name)
	}
	for i := range args {
		if err := wantType(e, i, isType(types.Bool), "bool"); err != nil {
			return nil, err
		}
	}
	return &logicNode{or: e.Name == expr.FnOr, args: args}, nil
}

func (l *logicNode) resultType() types.Type { return types.BoolType }

func (l *logicNode) eval(b *batch) (datum, error) {
	acc, err := l.args[0].eval(b)
	if err != nil {
		return datum{}, err
	}
	for _, a := range l.args[1:] {
		if l.decided(acc) {
			break
		}
		d, err := a.eval(b)
		if err != nil {
			acc.release()
			return datum{}, err
		}
		next := kleene(b, l.or, acc, d)
		acc.release()
		d.release()
		acc = next
	}
	return acc, nil
}

// decided reports whether d is all FALSE (AND) or all TRUE (OR).
func (l *logicNode) decided(d datum) bool {
	if d.arr == nil {
		return !d.val.Null && d.val.B == l.or
	}
	if d.arr.NullN() > 0 {
		return false
	}
	set := countBits(alignedBits(d.arr, 1), d.arr.Len())
	return (l.or && set == d.arr.Len()) || (!l.or && set == 0)
}

// kleene combines two boolean datums bytewise. For AND a row is valid when
// both are, or either is a valid FALSE; it is TRUE when both are valid
// TRUE. OR is the dual.
func kleene(b *batch, or bool, x, y datum) datum {
	if x.arr == nil && y.arr == nil {
		return scalarDatum(kleeneConst(or, x.val, y.val))
	}
	xd, xv := boolBits(x, b.n)
	yd, yv := boolBits(y, b.n)
	data, valid := newBitmap(b.mem, b.n), newBitmap(b.mem, b.n)
	od, ov := data.Bytes(), valid.Bytes()
	for i := range od {
		xt, yt := xd[i]&xv[i], yd[i]&yv[i]
		if or {
			ov[i] = xv[i]&yv[i] | xt | yt
			od[i] = xt | yt
		} else {
			ov[i] = xv[i]&yv[i] | xv[i]&^xd[i] | yv[i]&^yd[i]
			od[i] = xt & yt
		}
	}
	nulls := b.n - countBits(ov, b.n)
	return datum{arr: boolArray(b.n, data, valid, nulls)}
}

func kleeneConst(or bool, x, y types.Value) types.Value {
	switch {
	case !x.Null && x.B == or:
		return x
	case !y.Null && y.B == or:
		return y
	case x.Null || y.Null:
		return types.NullValue(types.BoolType)
	}
	return x
}

func buildNot(c *compiler, e *expr.Expr, args []node) (node, error) {
	if err := wantArity(e, 1, 1); err != nil {
		return nil, err
	}
	if err := wantType(e, 0, isType(types.Bool), "bool"); err != nil {
		return nil, err
	}
	return newCall(e.Name, types.BoolType, args, notKernel, strict, 0), nil
}

func notKernel(b *batch, args []datum) (arrow.Array, error) {
	src := alignedBits(args[0].arr, 1)
	data := newBitmap(b.mem, b.n)
	out := data.Bytes()
	for i := range out {
		out[i] = ^src[i]
	}
	valid, nulls := validAnd(b.mem, b.n, args[0].arr)
	return boolArray(b.n, data, valid, nulls), nil
}

func buildIsNull(c *compiler, e *expr.Expr, args []node) (node, error) {
	if err := wantArity(e, 1, 1); err != nil {
		return nil, err
	}
	return newCall(e.Name, types.BoolType, args, isNullKernel(e.Name == expr.FnIsNull), keepDict, 0), nil
}

// isNullKernel reads only validity. A dictionary's own validity is its
// indices'; a NULL among the dictionary values is rare and decoded.
func isNullKernel(wantNull bool) kernel {
	return func(b *batch, args []datum) (arrow.Array, error) {
		a := args[0].arr
		if d, ok := a.(*array.Dictionary); ok && d.Dictionary().NullN() > 0 {
			dec, err := decodeDict(b, d)
			if err != nil {
				return nil, err
			}
			defer dec.Release()
			a = dec
		}
		v := validBits(a)
		data := newBitmap(b.mem, b.n)
		out := data.Bytes()
		for i := range out {
			if wantNull {
				out[i] = ^v[i]
			} else {
				out[i] = v[i]
			}
		}
		return boolArray(b.n, data, nil, 0), nil
	}
}
