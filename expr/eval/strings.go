package eval

import (
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// String functions are element-wise and NULL-propagating; all are
// liftable, so over a dictionary column they run once per distinct value.

// stringArgs checks that every argument of e is a string.
func stringArgs(e *expr.Expr, lo, hi int) error {
	if err := wantArity(e, lo, hi); err != nil {
		return err
	}
	for i := range e.Args {
		if err := wantType(e, i, isType(types.String), "string"); err != nil {
			return err
		}
	}
	return nil
}

func buildCaseMap(c *compiler, e *expr.Expr, args []node) (node, error) {
	if err := stringArgs(e, 1, 1); err != nil {
		return nil, err
	}
	upper := e.Name == expr.FnUpper
	return newCall(e.Name, types.StringType, args, caseMapKernel(upper), strict|liftable, 0), nil
}

func caseMapKernel(upper bool) kernel {
	return func(b *batch, args []datum) (arrow.Array, error) {
		s := args[0].arr.(*array.String)
		bld := newStringBuilder(b.mem, b.n, dataLen(s))
		defer bld.Release()
		var buf []byte
		for i := range b.n {
			if s.IsNull(i) {
				bld.AppendNull()
				continue
			}
			if upper {
				buf = appendUpper(buf[:0], s.Value(i))
			} else {
				buf = appendLower(buf[:0], s.Value(i))
			}
			bld.BinaryBuilder.Append(buf)
		}
		return bld.NewArray(), nil
	}
}

func buildLength(c *compiler, e *expr.Expr, args []node) (node, error) {
	if err := stringArgs(e, 1, 1); err != nil {
		return nil, err
	}
	return newCall(e.Name, types.Int64Type, args, lengthKernel, strict|liftable, 0), nil
}

// lengthKernel counts characters (runes), not bytes.
func lengthKernel(b *batch, args []datum) (arrow.Array, error) {
	s := args[0].arr.(*array.String)
	buf, out := allocFixed[int64](b.mem, b.n)
	for i := range out {
		out[i] = int64(utf8.RuneCountInString(s.Value(i)))
	}
	valid, nulls := validAnd(b.mem, b.n, s)
	return fixedArray(types.Int64Type, b.n, buf, valid, nulls), nil
}

// buildTrim: trim(s) strips spaces; trim(s, chars) strips any of chars.
func buildTrim(c *compiler, e *expr.Expr, args []node) (node, error) {
	if err := stringArgs(e, 1, 2); err != nil {
		return nil, err
	}
	return newCall(e.Name, types.StringType, args, trimKernel(e.Name), strict|liftable, 0b10), nil
}

func trimKernel(name string) kernel {
	return func(b *batch, args []datum) (arrow.Array, error) {
		s := args[0].arr.(*array.String)
		cut := strArg{s: " "}
		if len(args) > 1 {
			cut = newStrArg(args[1])
		}
		bld := newStringBuilder(b.mem, b.n, dataLen(s))
		defer bld.Release()
		for i := range b.n {
			if s.IsNull(i) || cut.isNull(i) {
				bld.AppendNull()
				continue
			}
			bld.Append(trim(name, s.Value(i), cut.at(i)))
		}
		return bld.NewArray(), nil
	}
}

func trim(name, s, cut string) string {
	switch name {
	case expr.FnLTrim:
		return strings.TrimLeft(s, cut)
	case expr.FnRTrim:
		return strings.TrimRight(s, cut)
	}
	return strings.Trim(s, cut)
}

func buildReplace(c *compiler, e *expr.Expr, args []node) (node, error) {
	if err := stringArgs(e, 3, 3); err != nil {
		return nil, err
	}
	return newCall(e.Name, types.StringType, args, replaceKernel, strict|liftable, 0b110), nil
}

// replaceKernel replaces every occurrence; an empty search string leaves
// the value alone (PostgreSQL).
func replaceKernel(b *batch, args []datum) (arrow.Array, error) {
	s := args[0].arr.(*array.String)
	from, to := newStrArg(args[1]), newStrArg(args[2])
	bld := newStringBuilder(b.mem, b.n, dataLen(s))
	defer bld.Release()
	for i := range b.n {
		if s.IsNull(i) || from.isNull(i) || to.isNull(i) {
			bld.AppendNull()
			continue
		}
		v, f := s.Value(i), from.at(i)
		if f != "" {
			v = strings.ReplaceAll(v, f, to.at(i))
		}
		bld.Append(v)
	}
	return bld.NewArray(), nil
}

func buildConcat(c *compiler, e *expr.Expr, args []node) (node, error) {
	if err := stringArgs(e, 1, 1<<20); err != nil {
		return nil, err
	}
	return newCall(e.Name, types.StringType, args, concatKernel, strict|liftable, ^uint32(0)), nil
}

// concatKernel is NULL when any argument is (the contract's concat and ||).
func concatKernel(b *batch, args []datum) (arrow.Array, error) {
	parts := make([]strArg, len(args))
	arrs := make([]arrow.Array, len(args))
	hint := 0
	for i, a := range args {
		parts[i], arrs[i] = newStrArg(a), a.arr
		if parts[i].arr != nil {
			hint += dataLen(parts[i].arr)
		} else {
			hint += len(parts[i].s) * b.n
		}
	}
	valid, _ := validAnd(b.mem, b.n, arrs...)
	if valid != nil {
		defer valid.Release()
	}
	bld := newStringBuilder(b.mem, b.n, hint)
	defer bld.Release()
	var buf []byte
	for i := range b.n {
		if valid != nil && !bitSet(valid.Bytes(), i) {
			bld.AppendNull()
			continue
		}
		buf = buf[:0]
		for _, p := range parts {
			buf = append(buf, p.at(i)...)
		}
		bld.BinaryBuilder.Append(buf)
	}
	return bld.NewArray(), nil
}

// buildMatch: starts_with, ends_with, contains. A constant needle reuses
// the LIKE fast paths; a column needle is tested row by row.
func buildMatch(c *compiler, e *expr.Expr, args []node) (node, error) {
	if err := stringArgs(e, 2, 2); err != nil {
		return nil, err
	}
	kind := map[string]likeKind{expr.FnStartsWith: likePrefix, expr.FnEndsWith: likeSuffix, expr.FnContains: likeContains}[e.Name]
	if lit, ok := args[1].(*litNode); ok && !lit.val.Null {
		p := &likePattern{kind: kind, lit: lit.val.S}
		return newCall(e.Name, types.BoolType, args[:1], likeKernel(p, false), strict|liftable, 0), nil
	}
	return newCall(e.Name, types.BoolType, args, matchKernel(kind), strict|liftable, 0b10), nil
}

func matchKernel(kind likeKind) kernel {
	return func(b *batch, args []datum) (arrow.Array, error) {
		s, needle := args[0].arr.(*array.String), newStrArg(args[1])
		data := newBitmap(b.mem, b.n)
		out := data.Bytes()
		for i := range b.n {
			p := likePattern{kind: kind, lit: needle.at(i)}
			if p.match(s.Value(i)) {
				out[i>>3] |= 1 << (i & 7)
			}
		}
		valid, nulls := validAnd(b.mem, b.n, s, args[1].arr)
		return boolArray(b.n, data, valid, nulls), nil
	}
}
