package eval

import (
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// caseNode is CASE WHEN c1 THEN v1 ... ELSE e. Each row takes the first
// condition that is TRUE (NULL is not). Conditions after a row's match and
// branches a row does not take are evaluated for it only optimistically
// (see lazyArg): their errors never surface for that row.
type caseNode struct {
	typ   types.Type
	conds []lazyArg
	thens []lazyArg
	els   lazyArg
}

func buildCase(c *compiler, e *expr.Expr, args []node) (node, error) {
	if len(args) < 3 || len(args)%2 == 0 {
		return nil, invalidf("case takes WHEN/THEN pairs and an ELSE, got %d arguments", len(args))
	}
	n := &caseNode{typ: e.Type}
	for i := 0; i+1 < len(args); i += 2 {
		if err := wantType(e, i, isType(types.Bool), "bool"); err != nil {
			return nil, err
		}
		n.conds = append(n.conds, newLazyArg(e.Args[i], args[i]))
		n.thens = append(n.thens, newLazyArg(e.Args[i+1], args[i+1]))
	}
	last := len(args) - 1
	n.els = newLazyArg(e.Args[last], args[last])
	for i := 1; i < len(args); i += 2 {
		if t := e.Args[i].Type; t != e.Type && t.ID != types.Null {
			return nil, invalidf("case: branch of type %s, result %s", t, e.Type)
		}
	}
	if t := e.Args[last].Type; t != e.Type && t.ID != types.Null {
		return nil, invalidf("case: ELSE of type %s, result %s", t, e.Type)
	}
	return n, nil
}

func (c *caseNode) resultType() types.Type { return c.typ }

// branch is a chosen value and the rows that chose it.
type branch struct {
	rows []byte
	val  datum
}

func (c *caseNode) eval(b *batch) (datum, error) {
	left := ones(b.n) // rows no condition has claimed yet
	cnt := b.n
	var taken []branch
	defer func() {
		for _, t := range taken {
			t.val.release()
		}
	}()
	for i := 0; i < len(c.conds) && cnt > 0; i++ {
		rows, n, err := c.claim(b, i, left, cnt)
		if err != nil {
			return datum{}, err
		}
		if n == 0 {
			continue
		}
		v, err := c.thens[i].evalFor(b, rows, n)
		if err != nil {
			return datum{}, err
		}
		taken = append(taken, branch{rows, v})
		cnt -= n
	}
	return c.merge(b, taken, left, cnt)
}

// claim evaluates condition i for the unclaimed rows and moves the rows
// where it is TRUE out of left.
func (c *caseNode) claim(b *batch, i int, left []byte, cnt int) ([]byte, int, error) {
	d, err := c.conds[i].evalFor(b, left, cnt)
	if err != nil {
		return nil, 0, err
	}
	defer d.release()
	rows := trueMask(d, b.n)
	for j := range rows {
		rows[j] &= left[j]
		left[j] &^= rows[j]
	}
	return rows, countBits(rows, b.n), nil
}

// merge starts from the ELSE value (or NULL if no row reaches it) and lays
// each taken branch over its rows.
func (c *caseNode) merge(b *batch, taken []branch, left []byte, cnt int) (datum, error) {
	acc := scalarDatum(types.NullValue(c.typ))
	if cnt > 0 {
		v, err := c.els.evalFor(b, left, cnt)
		if err != nil {
			return datum{}, err
		}
		acc = v
	}
	for _, t := range taken {
		next, err := ifElse(b, t.rows, t.val, acc, c.typ)
		acc.release()
		if err != nil {
			return datum{}, err
		}
		acc = next
	}
	return acc, nil
}
