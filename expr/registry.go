package expr

import (
	"fmt"
	"slices"
	"strings"

	"github.com/drover-etl/drover/types"
)

// FuncKind says how a registered function is used.
type FuncKind uint8

// Function kinds. Operators are canonical functions SQL writes with their
// own syntax (a + b, a IN (...), CASE); only those with a callable alias
// (mod) resolve through LookupFunction.
const (
	FuncScalar FuncKind = iota
	FuncAggregate
	FuncOperator
)

var funcKindNames = [...]string{"scalar", "aggregate", "operator"}

func (k FuncKind) String() string { return funcKindNames[k] }

// FuncInfo documents one canonical function: the registry is the single
// list the binder's signatures, the aggregate names, the SQL front end's
// name lookup and docs/sql-functions.md are checked against or made from.
type FuncInfo struct {
	Name     string   // canonical name (the Fn constant, or the AggFunc's String)
	Aliases  []string // other SQL names, lower case
	Kind     FuncKind
	Category string // section of the reference page
	Syntax   string // operators: how SQL spells the call
	Args     string // argument signature
	Result   string // result type rule
	Doc      string // one line; says where Drover follows DuckDB rather than Spark
	Agg      AggFunc
	// sample are arguments the registry test binds the function with: a
	// types.Type is a column of that type, a types.Value a literal.
	sample []any
}

// Functions returns the registry, sorted by category then name. The
// slice is a copy.
func Functions() []FuncInfo {
	out := slices.Clone(registry)
	slices.SortStableFunc(out, func(a, b FuncInfo) int {
		if c := strings.Compare(categoryOrder(a.Category), categoryOrder(b.Category)); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

func categoryOrder(c string) string {
	i := slices.Index(categories, c)
	return string(rune('a' + i))
}

// categories orders the sections of the reference page.
var categories = []string{catOperators, catConditional, catStrings, catMath, catDates, catAggregates}

const (
	catOperators   = "Operators"
	catConditional = "Conditional"
	catStrings     = "Strings"
	catMath        = "Math"
	catDates       = "Dates and times"
	catAggregates  = "Aggregates"
)

// lookup maps every callable SQL name (canonical and alias) to its entry.
var lookup = map[string]*FuncInfo{}

func init() {
	registry = append(append(append(append(append(slices.Clone(operatorFuncs), conditionalFuncs...),
		stringFuncs...), mathFuncs...), dateFuncs...), aggregateFuncs...)
	for i := range registry {
		f := &registry[i]
		if f.Kind != FuncOperator {
			register(f.Name, f)
		}
		for _, a := range f.Aliases {
			register(a, f)
		}
		if f.Kind == FuncAggregate {
			AggFuncByName[f.Name] = f.Agg
			for _, a := range f.Aliases {
				AggFuncByName[a] = f.Agg
			}
		}
	}
}

func register(name string, f *FuncInfo) {
	if _, dup := lookup[name]; dup {
		panic("expr: function name registered twice: " + name)
	}
	lookup[name] = f
}

// registry is filled in init from the per-category tables.
var registry []FuncInfo

// LookupFunction maps a SQL function name (any case) to its canonical
// name: aliases resolve (nvl → coalesce, substring → substr, stddev →
// stddev_samp), canonical names map to themselves, and ok is false for
// names the engine does not know (plugin functions, which have a dot,
// are resolved by the binder through its FuncResolver instead). Use
// IsAggregate on the result to tell aggregates from scalar functions.
func LookupFunction(sqlName string) (canonical string, ok bool) {
	f, ok := lookup[strings.ToLower(sqlName)]
	if !ok {
		return "", false
	}
	return f.Name, true
}

// IsAggregate reports whether canonical names an aggregate function, and
// which. It agrees with AggFuncByName.
func IsAggregate(canonical string) (AggFunc, bool) {
	f, ok := lookup[canonical]
	if !ok || f.Kind != FuncAggregate {
		return 0, false
	}
	return f.Agg, true
}

// FunctionInfo returns the registry entry of a canonical name or alias.
func FunctionInfo(name string) (FuncInfo, bool) {
	f, ok := lookup[strings.ToLower(name)]
	if !ok {
		for _, r := range registry {
			if r.Name == name {
				return r, true
			}
		}
		return FuncInfo{}, false
	}
	return *f, true
}

// scalar, op and agg build registry entries.
func scalar(cat, name string, aliases []string, args, result, doc string, sample ...any) FuncInfo {
	return FuncInfo{Name: name, Aliases: aliases, Kind: FuncScalar, Category: cat, Args: args, Result: result, Doc: doc, sample: sample}
}

func op(name, syntax string, aliases []string, args, result, doc string, sample ...any) FuncInfo {
	return FuncInfo{Name: name, Aliases: aliases, Kind: FuncOperator, Category: catOperators, Syntax: syntax,
		Args: args, Result: result, Doc: doc, sample: sample}
}

func agg(f AggFunc, aliases []string, args, result, doc string, sample ...any) FuncInfo {
	return FuncInfo{Name: f.String(), Aliases: aliases, Kind: FuncAggregate, Category: catAggregates,
		Args: args, Result: result, Doc: doc, Agg: f, sample: sample}
}

func names(n ...string) []string { return n }

// Sample returns a call's worth of sample arguments (columns of a small
// schema, and literals where the function wants constants) that the
// function binds with; tests of the binder and the evaluator use it.
func (f FuncInfo) Sample() ([]*Expr, *types.Schema) {
	schema := &types.Schema{}
	var args []*Expr
	for i, s := range f.sample {
		switch v := s.(type) {
		case types.Type:
			name := fmt.Sprintf("c%d", i)
			schema.Fields = append(schema.Fields, types.Field{Name: name, Type: v, Nullable: true})
			args = append(args, Col("", name))
		case types.Value:
			args = append(args, Lit(v))
		default:
			panic(fmt.Sprintf("sample of %s: %T", f.Name, s))
		}
	}
	return args, schema
}
