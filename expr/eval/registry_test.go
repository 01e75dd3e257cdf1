package eval

import (
	"context"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// TestEveryRegisteredFunctionEvaluates binds every scalar function of the
// registry with its sample arguments and evaluates it over a batch of
// NULLs and over an empty batch: each bound tree must compile, give one
// row per input row, and the declared type.
func TestEveryRegisteredFunctionEvaluates(t *testing.T) {
	for _, f := range expr.Functions() {
		if f.Kind == expr.FuncAggregate {
			continue
		}
		args, schema := f.Sample()
		call := expr.Call(f.Name, args...)
		if f.Name == expr.FnCast {
			call.Type = types.StringType
		}
		bound, err := expr.Bind(call, schema, nil)
		if err != nil {
			t.Fatalf("bind %s: %v", call, err)
		}
		for _, n := range []int{0, 3} {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			// One more column than the schema has, so a batch of a
			// column-free call still has n rows.
			cols := make([]arrow.Array, schema.Len()+1)
			for i, fl := range schema.Fields {
				cols[i] = MakeArray(types.NullValue(fl.Type), n, mem)
			}
			cols[schema.Len()] = MakeArray(types.NullValue(types.Int64Type), n, mem)
			rec := record(cols...)
			ev, err := Compile(bound, Options{Mem: mem})
			if err != nil {
				t.Fatalf("compile %s: %v", bound, err)
			}
			res, err := ev.Eval(context.Background(), rec)
			if err != nil {
				t.Fatalf("eval %s over %d NULL rows: %v", bound, n, err)
			}
			if res.Len() != n {
				t.Errorf("%s: %d rows, want %d", bound, res.Len(), n)
			}
			if rt, err := types.FromArrow(res.DataType()); err != nil || rt != bound.Type {
				t.Errorf("%s: result %s, declared %s", bound, res.DataType(), bound.Type)
			}
			res.Release()
			rec.Release()
			for _, c := range cols {
				c.Release()
			}
			mem.AssertSize(t, 0)
		}
	}
}

// bound binds call against the fixture's columns, named c0, c1, ...
func bound(t *testing.T, f fixture, name string, args ...*expr.Expr) *expr.Expr {
	t.Helper()
	schema := &types.Schema{}
	for i, ty := range f.types {
		schema.Fields = append(schema.Fields, types.Field{Name: "c" + string(rune('0'+i)), Type: ty, Nullable: true})
	}
	e, err := expr.Bind(expr.Call(name, args...), schema, nil)
	if err != nil {
		t.Fatalf("bind %s: %v", name, err)
	}
	return e
}

func c(i int) *expr.Expr { return expr.Col("", "c"+string(rune('0'+i))) }

// sqlCase is a case written against the binder: name(args...) bound over
// the fixture, then evaluated plain, dictionary-encoded and folded.
type sqlCase struct {
	name string
	fn   string
	args []*expr.Expr
	want []string
	err  string
}

func runSQLCases(t *testing.T, f fixture, cases []sqlCase) {
	t.Helper()
	ec := make([]evalCase, len(cases))
	for i, tc := range cases {
		ec[i] = evalCase{name: tc.name, e: bound(t, f, tc.fn, tc.args...), want: tc.want, err: tc.err}
	}
	runCases(t, f, ec)
}

func q(ss ...string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		if s == "NULL" {
			out[i] = s
			continue
		}
		out[i] = `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
	}
	return out
}
