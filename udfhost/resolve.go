package udfhost

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/types"
	"github.com/drover-etl/drover/udf"
)

// ResolveFunc implements expr.FuncResolver: the planner asks the plugin
// for a scalar's result type before any data flows.
func (h *Host) ResolveFunc(name string, args []types.Type) (types.Type, error) {
	p, fn, err := h.lookup(name)
	if err != nil {
		return types.Type{}, err
	}
	if len(args) == 0 {
		return types.Type{}, fmt.Errorf("plugin functions take at least one argument (%s has none)", name)
	}
	in := make([]arrow.DataType, len(args))
	for i, t := range args {
		in[i] = t.Arrow()
	}
	var out arrow.DataType
	err = p.do(context.Background(), "planning "+name, func(ctx context.Context, r udf.Remote) (err error) {
		out, err = r.ResolveScalar(ctx, fn, in)
		return err
	})
	if err != nil {
		return types.Type{}, p.explain(fn, false, err)
	}
	t, err := engineType(out)
	if err != nil {
		return types.Type{}, fmt.Errorf("%w: %s declares its result as %w", ErrContract, name, err)
	}
	return t, nil
}

// ResolveTransform implements jobplan.TransformResolver: the plugin
// declares a transform's output schema for this input and these args.
func (h *Host) ResolveTransform(name string, in *types.Schema, args map[string]string) (*types.Schema, error) {
	p, fn, err := h.lookup(name)
	if err != nil {
		return nil, err
	}
	var out *arrow.Schema
	err = p.do(context.Background(), "planning "+name, func(ctx context.Context, r udf.Remote) (err error) {
		out, err = r.ResolveTransform(ctx, fn, in.Arrow(), args)
		return err
	})
	if err != nil {
		return nil, p.explain(fn, true, err)
	}
	s, err := engineSchema(out)
	if err != nil {
		return nil, fmt.Errorf("%w: %s declares an output %w", ErrContract, name, err)
	}
	return s, nil
}

// explain turns a plan-time failure into a message for the job's author:
// the plugin's own words, and for an unknown function what there is.
func (p *proc) explain(fn string, transform bool, err error) error {
	var ce *udf.CallError
	if !errors.As(err, &ce) {
		return err
	}
	switch {
	case errors.Is(err, udf.ErrUnknownFunction):
		kind := "scalar function"
		if transform {
			kind = "transform"
		}
		return &planError{kind: udf.ErrUnknownFunction, msg: fmt.Sprintf("plugin %q has no %s %q (%s)", p.name, kind, fn, p.inventory())}
	case errors.Is(err, udf.ErrRejected):
		return &planError{kind: udf.ErrRejected, msg: fmt.Sprintf("plugin %q: %s", p.name, ce.Msg)}
	}
	return err
}

// planError is a plan-time failure in the plugin's words; errors.Is sees
// its kind (a udf sentinel) without the sentinel's text in the message.
type planError struct {
	kind error
	msg  string
}

func (e *planError) Error() string { return e.msg }
func (e *planError) Unwrap() error { return e.kind }

// inventory lists the plugin's functions for an error message.
func (p *proc) inventory() string {
	var fns []udf.FunctionInfo
	err := p.do(context.Background(), "describe", func(ctx context.Context, r udf.Remote) (err error) {
		fns, err = r.Describe(ctx)
		return err
	})
	if err != nil {
		return "its functions could not be listed: " + err.Error()
	}
	var scalars, transforms []string
	for _, f := range fns {
		if f.Transform {
			transforms = append(transforms, f.Name)
		} else {
			scalars = append(scalars, f.Name)
		}
	}
	return fmt.Sprintf("scalar functions: %s; transforms: %s", orNone(scalars), orNone(transforms))
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// engineType maps a declared Arrow type to Drover's, requiring exactly the
// Arrow type Drover uses for it: results are checked by exact type, and a
// conversion per batch would hide in every call.
func engineType(dt arrow.DataType) (types.Type, error) {
	t, err := types.FromArrow(dt)
	if err != nil {
		return types.Type{}, err
	}
	if t.ID == types.Null {
		return types.Type{}, fmt.Errorf("type null (declare a real type; return nulls in it)")
	}
	if !arrow.TypeEqual(t.Arrow(), dt) {
		return types.Type{}, fmt.Errorf("type %s, which Drover does not exchange (use %s)", dt, t.Arrow())
	}
	return t, nil
}

func engineSchema(s *arrow.Schema) (*types.Schema, error) {
	if s.NumFields() == 0 {
		return nil, fmt.Errorf("schema without columns")
	}
	out := &types.Schema{}
	seen := map[string]bool{}
	for _, f := range s.Fields() {
		key := strings.ToLower(f.Name)
		if f.Name == "" || seen[key] {
			return nil, fmt.Errorf("schema with an empty or repeated column name %q", f.Name)
		}
		seen[key] = true
		t, err := engineType(f.Type)
		if err != nil {
			return nil, fmt.Errorf("column %q of %w", f.Name, err)
		}
		out.Fields = append(out.Fields, types.Field{Name: f.Name, Type: t, Nullable: f.Nullable})
	}
	return out, nil
}
