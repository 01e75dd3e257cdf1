package udfhost

import (
	"context"

	"github.com/drover-etl/drover/udf"
)

// Deterministic reports whether plugin function name ("textkit.slug")
// declared itself deterministic (udf.DeterministicFunc). Anything else —
// an undeclared function, an unknown one, a plugin that cannot say —
// counts as non-deterministic, the answer that is never wrong.
func (h *Host) Deterministic(name string) bool {
	p, fn, err := h.lookup(name)
	if err != nil {
		return false
	}
	var fns []udf.FunctionInfo
	err = p.do(context.Background(), "describe", func(ctx context.Context, r udf.Remote) (err error) {
		fns, err = r.Describe(ctx)
		return err
	})
	if err != nil {
		return false
	}
	for _, f := range fns {
		if f.Name == fn {
			return f.Deterministic
		}
	}
	return false
}
