package optimizer

import "github.com/drover-etl/drover/plan/logical"

// PushLimitIntoUnion copies a Limit into each input of a Union under it:
// no input can contribute more than N rows to the first N (Offset+N rows
// when the Limit skips an offset; an OFFSET alone bounds nothing). The
// Limit above stays, since the inputs together may still exceed N.
var PushLimitIntoUnion = Rule{Name: "push_limit_into_union", Apply: pushLimitIntoUnion}

func pushLimitIntoUnion(n logical.Node, _ Config) (logical.Node, error) {
	return logical.Transform(n, func(n logical.Node) (logical.Node, error) {
		l, ok := n.(*logical.Limit)
		if !ok {
			return n, nil
		}
		u, ok := l.Input.(*logical.Union)
		if !ok || l.Unbounded() {
			return n, nil
		}
		return l.WithChildren(capInputs(u, l.End())), nil
	})
}

func capInputs(u *logical.Union, limit int64) logical.Node {
	ins := make([]logical.Node, len(u.Inputs))
	for i, in := range u.Inputs {
		ins[i] = capRows(in, limit)
	}
	return u.WithChildren(ins...)
}

// capRows limits n to at most limit rows unless it already is; a Limit it
// puts over a nested Union is pushed into that one's inputs in turn.
func capRows(n logical.Node, limit int64) logical.Node {
	switch t := n.(type) {
	case *logical.Limit:
		if !t.Unbounded() && t.N <= limit {
			return n
		}
		if t.Offset > 0 || t.Unbounded() {
			break // the inner Limit skips rows: cap over it
		}
		n = t.Input
	case *logical.Union:
		n = capInputs(t, limit)
	}
	return &logical.Limit{Input: n, N: limit}
}
