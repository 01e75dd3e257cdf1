package logical

import (
	"errors"
	"fmt"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// ErrWindow marks an invalid or unsupported window function; NewWindow's
// errors wrap it (and the binder's errors, for bad arguments).
var ErrWindow = errors.New("window")

// WindowFuncSpec is one window function as the SQL front end sees it.
type WindowFuncSpec struct {
	// Name is the SQL function name, lower case: row_number, rank,
	// dense_rank, percent_rank, cume_dist, ntile, lag, lead, first_value,
	// last_value, nth_value, or an aggregate of expr.AggFuncByName.
	Name string
	// Args in SQL order, bound or unbound against the Window's input
	// schema: ntile(n); lag/lead(x[, offset[, default]]) with a literal
	// integer offset; nth_value(x, n) with a literal n >= 1; aggregates
	// take one argument (none with Star).
	Args []*expr.Expr
	// Star marks count(*).
	Star bool
	// Distinct marks an aggregate over distinct values.
	Distinct bool
	// IgnoreNulls is IGNORE NULLS (lag, lead, first/last/nth_value).
	IgnoreNulls bool
	// Frame is the frame clause; nil means SQL's default (DefaultFrame).
	// RANGE offsets are literals: a number for numeric keys, a whole number
	// of days for DATE keys, of microseconds for TIMESTAMP keys.
	Frame *WindowFrame
	// Alias is the output column name.
	Alias string
}

// NewWindow validates and types window functions sharing one partitioning
// and order over input. Expressions (partition keys, order keys, function
// arguments) may be unbound or already bound against input's schema; they
// are bound here (funcs resolves plugin functions, may be nil). Result
// types follow DuckDB: row_number, rank, dense_rank, ntile → BIGINT;
// percent_rank, cume_dist → DOUBLE; lag, lead, first/last/nth_value → the
// argument's type; aggregates as in GROUP BY (expr.AggResultType).
func NewWindow(input Node, partitionBy []*expr.Expr, orderBy []SortKey, specs []WindowFuncSpec, funcs expr.FuncResolver) (*Window, error) {
	schema := input.Schema()
	w := &Window{Input: input}
	for _, e := range partitionBy {
		b, err := expr.Bind(e, schema, funcs)
		if err != nil {
			return nil, fmt.Errorf("%w: PARTITION BY %s: %w", ErrWindow, e, err)
		}
		w.PartitionBy = append(w.PartitionBy, b)
	}
	for _, k := range orderBy {
		b, err := expr.Bind(k.Expr, schema, funcs)
		if err != nil {
			return nil, fmt.Errorf("%w: ORDER BY %s: %w", ErrWindow, k.Expr, err)
		}
		k.Expr = b
		w.OrderBy = append(w.OrderBy, k)
	}
	if len(specs) == 0 {
		return nil, fmt.Errorf("%w: no window functions", ErrWindow)
	}
	for _, s := range specs {
		f, err := newWindowFunc(s, w.OrderBy, schema, funcs)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrWindow, s.Name, err)
		}
		w.Funcs = append(w.Funcs, f)
	}
	return w, nil
}

var windowKindsByName = map[string]WindowKind{
	"row_number": WinRowNumber, "rank": WinRank, "dense_rank": WinDenseRank,
	"percent_rank": WinPercentRank, "cume_dist": WinCumeDist, "ntile": WinNtile,
	"lag": WinLag, "lead": WinLead, "first_value": WinFirstValue,
	"last_value": WinLastValue, "nth_value": WinNthValue,
}

func newWindowFunc(s WindowFuncSpec, order []SortKey, schema *types.Schema, funcs expr.FuncResolver) (WindowFunc, error) {
	f := WindowFunc{Name: s.Alias, IgnoreNulls: s.IgnoreNulls, Distinct: s.Distinct}
	if f.Name == "" {
		return f, errors.New("window function needs an output name")
	}
	kind, ok := windowKindsByName[s.Name]
	if !ok {
		agg, isAgg := expr.AggFuncByName[s.Name]
		if !isAgg {
			return f, fmt.Errorf("not supported: window function %s", s.Name)
		}
		kind, f.Agg = WinAggregate, agg
	}
	f.Kind = kind
	if s.Distinct && kind != WinAggregate {
		return f, fmt.Errorf("DISTINCT applies to aggregates only")
	}
	if s.IgnoreNulls && !ignoresNulls(kind) {
		return f, fmt.Errorf("IGNORE NULLS applies to lag, lead, first_value, last_value and nth_value only")
	}
	if err := typeWindowFunc(&f, s, schema, funcs); err != nil {
		return f, err
	}
	if kind.UsesFrame() {
		fr := DefaultFrame(len(order) > 0)
		if s.Frame != nil {
			fr = *s.Frame
		}
		nf, err := checkFrame(fr, order)
		if err != nil {
			return f, err
		}
		f.Frame = nf
	}
	return f, nil
}

func ignoresNulls(k WindowKind) bool {
	return k == WinLag || k == WinLead || k == WinFirstValue || k == WinLastValue || k == WinNthValue
}

// typeWindowFunc binds the arguments and sets Type, Nullable and the
// constant parameters (Offset, N).
func typeWindowFunc(f *WindowFunc, s WindowFuncSpec, schema *types.Schema, funcs expr.FuncResolver) error {
	args, err := bindArgs(s.Args, schema, funcs)
	if err != nil {
		return err
	}
	switch f.Kind {
	case WinRowNumber, WinRank, WinDenseRank, WinPercentRank, WinCumeDist:
		if len(args) != 0 {
			return fmt.Errorf("takes no arguments, got %d", len(args))
		}
		f.Type = types.Int64Type
		if f.Kind == WinPercentRank || f.Kind == WinCumeDist {
			f.Type = types.Float64Type
		}
		return nil
	case WinNtile:
		if len(args) != 1 {
			return fmt.Errorf("takes one argument (the number of buckets), got %d", len(args))
		}
		if !args[0].Type.IsInteger() {
			return fmt.Errorf("bucket count must be an integer, got %s", args[0].Type)
		}
		f.Args, f.Type, f.Nullable = args, types.Int64Type, args[0].Nullable
		return nil
	case WinLag, WinLead:
		return typeLagLead(f, args, schema, funcs)
	case WinFirstValue, WinLastValue:
		if len(args) != 1 {
			return fmt.Errorf("takes one argument, got %d", len(args))
		}
		f.Args, f.Type, f.Nullable = args, args[0].Type, true
		return nil
	case WinNthValue:
		if len(args) != 2 {
			return fmt.Errorf("takes two arguments (value, n), got %d", len(args))
		}
		n, err := constInt(args[1], "n")
		if err != nil {
			return err
		}
		if n < 1 {
			return fmt.Errorf("n must be at least 1, got %d", n)
		}
		f.Args, f.N, f.Type, f.Nullable = args[:1], n, args[0].Type, true
		return nil
	}
	return typeWindowAgg(f, s, args)
}

func bindArgs(args []*expr.Expr, schema *types.Schema, funcs expr.FuncResolver) ([]*expr.Expr, error) {
	out := make([]*expr.Expr, len(args))
	for i, a := range args {
		b, err := expr.Bind(a, schema, funcs)
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

func typeLagLead(f *WindowFunc, args []*expr.Expr, schema *types.Schema, funcs expr.FuncResolver) error {
	if len(args) < 1 || len(args) > 3 {
		return fmt.Errorf("takes (value[, offset[, default]]), got %d arguments", len(args))
	}
	f.Offset = 1
	if len(args) >= 2 {
		off, err := constInt(args[1], "offset")
		if err != nil {
			return err
		}
		if off < 0 {
			return fmt.Errorf("not supported: negative offset %d (use the other of lag/lead)", off)
		}
		f.Offset = off
	}
	f.Args, f.Type, f.Nullable = args[:1], args[0].Type, true
	if len(args) == 3 {
		def := args[2]
		if def.Type != f.Type {
			if def.Type.ID != types.Null {
				if _, ok := types.Common(def.Type, f.Type); !ok {
					return fmt.Errorf("default of type %s does not fit the value type %s", def.Type, f.Type)
				}
			}
			cast, err := expr.Bind(expr.Cast(def, f.Type), schema, funcs)
			if err != nil {
				return fmt.Errorf("default: %w", err)
			}
			def = cast
		}
		f.Args = append(f.Args, def)
	}
	return nil
}

func typeWindowAgg(f *WindowFunc, s WindowFuncSpec, args []*expr.Expr) error {
	if s.Star || (f.Agg == expr.AggCount && len(args) == 0) { // count() is count(*), as in DuckDB
		if f.Agg != expr.AggCount || len(args) != 0 || s.Distinct {
			return errors.New("only count takes *")
		}
		f.Agg, f.Type = expr.AggCountStar, types.Int64Type
		return nil
	}
	if len(args) != 1 {
		return fmt.Errorf("takes one argument, got %d", len(args))
	}
	t, err := expr.AggResultType(f.Agg, args[0].Type)
	if err != nil {
		return fmt.Errorf("%w in %s(%s)", err, s.Name, args[0])
	}
	f.Args, f.Type = args, t
	f.Nullable = f.Agg != expr.AggCount
	return nil
}

// constInt reads a constant integer argument: a literal, possibly negated
// or cast to another integer type (as front ends write -1 or 1::bigint).
func constInt(e *expr.Expr, what string) (int64, error) {
	switch {
	case (e.IsCall(expr.FnNeg) || e.IsCall(expr.FnCast)) && len(e.Args) == 1 && e.Type.IsInteger():
		v, err := constInt(e.Args[0], what)
		if e.IsCall(expr.FnNeg) {
			v = -v
		}
		return v, err
	case !e.IsLiteral() || !e.Type.IsInteger():
		return 0, fmt.Errorf("not supported: %s must be a constant integer, got %s", what, e)
	case e.Value.Null:
		return 0, fmt.Errorf("%s must not be NULL", what)
	}
	return e.Value.I, nil
}
