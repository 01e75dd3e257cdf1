package expr

import (
	"errors"
	"strings"
	"testing"

	"github.com/drover-etl/drover/types"
)

func TestBindAgg(t *testing.T) {
	tests := []struct {
		f    AggFunc
		arg  *Expr
		want string
	}{
		{AggCountStar, nil, "int64"},
		{AggCount, c("status"), "int64"},
		{AggSum, c("qty"), "int64"},
		{AggSum, c("price"), "decimal(38,2)"},
		{AggSum, c("f32"), "float64"},
		{AggAvg, c("qty"), "float64"},
		{AggMin, c("day"), "date"},
		{AggMax, c("status"), "string"},
		{AggSum, Call(FnMul, c("price"), c("qty")), "decimal(38,2)"},
	}
	for _, tt := range tests {
		arg, typ, err := BindAgg(tt.f, tt.arg, testSchema(), nil)
		if err != nil {
			t.Fatalf("BindAgg(%s, %v): %v", tt.f, tt.arg, err)
		}
		if typ.String() != tt.want {
			t.Errorf("BindAgg(%s, %v) type = %s, want %s", tt.f, tt.arg, typ, tt.want)
		}
		if tt.arg != nil && arg.Index == Unbound && arg.Kind == KindColumn {
			t.Errorf("argument not bound: %s", arg)
		}
	}
}

func TestBindAggErrors(t *testing.T) {
	_, _, err := BindAgg(AggSum, c("status"), testSchema(), nil)
	if err == nil || !errors.Is(err, ErrType) || !strings.Contains(err.Error(), "sum needs a numeric argument, got string in sum(status)") {
		t.Errorf("sum(string): %v", err)
	}
	_, _, err = BindAgg(AggAvg, c("nope"), testSchema(), nil)
	if !errors.Is(err, types.ErrUnknownColumn) {
		t.Errorf("avg(nope): %v", err)
	}
}
