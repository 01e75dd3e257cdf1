package eval

import (
	"context"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// builder compiles one call whose arguments are already compiled.
type builder func(c *compiler, e *expr.Expr, args []node) (node, error)

// builders maps canonical function names to their compilers; filled in
// init because the builders themselves reach back into compile.
var builders map[string]builder

func init() {
	builders = map[string]builder{
		expr.FnAdd: buildArith, expr.FnSub: buildArith, expr.FnMul: buildArith,
		expr.FnDiv: buildArith, expr.FnMod: buildArith, expr.FnNeg: buildNeg,
		expr.FnEq: buildCompare, expr.FnNe: buildCompare, expr.FnLt: buildCompare,
		expr.FnLe: buildCompare, expr.FnGt: buildCompare, expr.FnGe: buildCompare,
		expr.FnAnd: buildAndOr, expr.FnOr: buildAndOr, expr.FnNot: buildNot,
		expr.FnIsNull: buildIsNull, expr.FnIsNotNull: buildIsNull,
		expr.FnIn: buildIn, expr.FnLike: buildLike, expr.FnILike: buildLike,
		expr.FnCase: buildCase, expr.FnCast: buildCast,
		expr.FnCoalesce: buildCoalesce, expr.FnNullIf: buildNullIf,
		expr.FnConcat: buildConcat, expr.FnLower: buildCaseMap, expr.FnUpper: buildCaseMap,
		expr.FnLength: buildLength, expr.FnSubstr: buildSubstr,
		expr.FnTrim: buildTrim, expr.FnLTrim: buildTrim, expr.FnRTrim: buildTrim,
		expr.FnReplace: buildReplace, expr.FnStartsWith: buildMatch,
		expr.FnEndsWith: buildMatch, expr.FnContains: buildMatch,
		expr.FnAbs: buildAbs, expr.FnRound: buildRound, expr.FnFloor: buildFloorCeil,
		expr.FnCeil: buildFloorCeil,
		expr.FnYear: buildExtract, expr.FnMonth: buildExtract, expr.FnDay: buildExtract,
		expr.FnHour: buildExtract, expr.FnDayOfWeek: buildExtract,
		expr.FnDateTrunc: buildDateTrunc, expr.FnDateAdd: buildDateAdd,
		expr.FnDateDiff: buildDateDiff,
	}
}

type compiler struct {
	opts *Options
	fold bool // replace column-free subtrees by their value
	// shared (CompileSet only) holds the keys of subtrees to evaluate once
	// per batch, with their memo nodes once compiled; slots counts them.
	// uncond: the subtree being compiled is reached by every evaluation.
	shared map[string]*memoNode
	slots  *int
	uncond bool
}

// compile returns the node for e and whether e is a constant (reads no
// column and calls no plugin).
func (c *compiler) compile(e *expr.Expr) (node, bool, error) {
	switch e.Kind {
	case expr.KindColumn:
		if e.Index < 0 {
			return nil, false, invalidf("column %s is not bound", e)
		}
		return &colNode{idx: e.Index, typ: e.Type}, false, nil
	case expr.KindLiteral:
		return c.literal(e)
	case expr.KindCall:
		if c.shared != nil && c.uncond {
			return c.sharedCall(e)
		}
		return c.call(e)
	}
	return nil, false, invalidf("unknown expression kind %d", e.Kind)
}

func (c *compiler) literal(e *expr.Expr) (node, bool, error) {
	v := e.Value
	if v.Null {
		return &litNode{val: types.NullValue(e.Type)}, true, nil
	}
	if v.Type != e.Type {
		return nil, false, invalidf("literal %s typed %s", v, e.Type)
	}
	return &litNode{val: v}, true, nil
}

func (c *compiler) call(e *expr.Expr) (node, bool, error) {
	args := make([]node, len(e.Args))
	konst := true
	uncond := c.uncond
	defer func() { c.uncond = uncond }()
	for i, a := range e.Args {
		c.uncond = uncond && unconditionalArg(e, i)
		n, k, err := c.compile(a)
		if err != nil {
			return nil, false, err
		}
		args[i], konst = n, konst && k
	}
	build := builders[e.Name]
	if strings.Contains(e.Name, ".") {
		build, konst = buildUDF, false
	}
	if build == nil {
		return nil, false, invalidf("unknown function %q", e.Name)
	}
	n, err := build(c, e, args)
	if err != nil {
		return nil, false, err
	}
	if konst && c.fold {
		n = c.tryFold(n)
	}
	return n, konst, nil
}

// sharedCall compiles a call in an unconditional place of a Set: a
// subtree shared with other places becomes one memoNode.
func (c *compiler) sharedCall(e *expr.Expr) (node, bool, error) {
	key := shareKey(e)
	m, ok := c.shared[key]
	if !ok {
		return c.call(e)
	}
	if m != nil {
		return m, false, nil
	}
	n, konst, err := c.call(e)
	if err != nil || konst {
		return n, konst, err
	}
	m = &memoNode{node: n, slot: *c.slots}
	*c.slots++
	c.shared[key] = m
	return m, false, nil
}

// tryFold evaluates a constant node once; on error the node stays, so the
// error surfaces only if a batch really evaluates it.
func (c *compiler) tryFold(n node) node {
	if _, ok := n.(*litNode); ok {
		return n
	}
	b := newBatch(context.Background(), nil, 1, c.opts)
	d, err := n.eval(b)
	if err != nil {
		return n
	}
	defer d.release()
	if d.arr != nil {
		return &litNode{val: retype(ValueAt(d.arr, 0), n.resultType())}
	}
	return &litNode{val: retype(d.val, n.resultType())}
}

// wantArity checks the argument count of e.
func wantArity(e *expr.Expr, lo, hi int) error {
	if n := len(e.Args); n < lo || n > hi {
		return invalidf("%s takes %d..%d arguments, got %d", e.Name, lo, hi, n)
	}
	return nil
}

// wantType checks that argument i has a type ok accepts (a NULL literal
// fits anywhere).
func wantType(e *expr.Expr, i int, ok func(types.Type) bool, what string) error {
	if t := e.Args[i].Type; !ok(t) && t.ID != types.Null {
		return invalidf("%s: argument %d is %s, want %s", e.Name, i+1, t, what)
	}
	return nil
}

func isType(id types.ID) func(types.Type) bool {
	return func(t types.Type) bool { return t.ID == id }
}

func isTemporal(t types.Type) bool { return t.ID == types.Date || t.ID == types.Timestamp }
