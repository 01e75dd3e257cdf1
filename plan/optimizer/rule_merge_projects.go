package optimizer

import (
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
)

// MergeProjects folds a Project into the Project directly above it by
// substituting the lower expressions into the upper ones (pruning and join
// swaps stack Projects), then folds what substitution made constant. It declines when that would compute a non-trivial
// lower expression more than once, or run a plugin call a different number
// of times.
var MergeProjects = Rule{Name: "merge_projects", Apply: mergeProjects}

func mergeProjects(n logical.Node, _ Config) (logical.Node, error) {
	return logical.Transform(n, func(n logical.Node) (logical.Node, error) {
		upper, ok := n.(*logical.Project)
		if !ok {
			return n, nil
		}
		lower, ok := upper.Input.(*logical.Project)
		if !ok || !mergeable(upper, lower) {
			return n, nil
		}
		c := *upper
		c.Input = lower.Input
		c.Exprs = make([]*expr.Expr, len(upper.Exprs))
		for i, e := range upper.Exprs {
			c.Exprs[i] = refold(substitute(e, lower.Exprs))
		}
		return &c, nil
	})
}

// mergeable: every lower expression that is a computation is read at most
// once above, and each plugin-calling one exactly once.
func mergeable(upper, lower *logical.Project) bool {
	uses := make([]int, len(lower.Exprs))
	for _, e := range upper.Exprs {
		expr.Walk(e, func(x *expr.Expr) bool {
			if x.Kind == expr.KindColumn && x.Index >= 0 && x.Index < len(uses) {
				uses[x.Index]++
			}
			return true
		})
	}
	for i, e := range lower.Exprs {
		switch {
		case hasPlugin(e) && uses[i] != 1:
			return false
		case e.Kind == expr.KindCall && uses[i] > 1:
			return false
		}
	}
	return true
}
