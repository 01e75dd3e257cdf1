package dataset

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/types"
)

// inferType picks the most specific type every non-null value fits, the
// way Spark and DuckDB do: int64, float64, date, timestamp, else string.
// An integer with a leading zero ("007", a zip code) stays a string, since
// reading it as a number would lose the zero. No value at all: string.
func inferType(values []segment) types.Type {
	for _, c := range []struct {
		t  types.Type
		ok func(string) bool
	}{
		{types.Int64Type, isInteger},
		{types.Float64Type, isFloat},
		{types.DateType, isDate},
		{types.TimestampType, isTimestamp},
	} {
		if allFit(values, c.ok) {
			return c.t
		}
	}
	return types.StringType
}

func allFit(values []segment, ok func(string) bool) bool {
	any := false
	for _, v := range values {
		if v.null {
			continue
		}
		if !ok(v.value) {
			return false
		}
		any = true
	}
	return any
}

func isInteger(s string) bool {
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil && !leadingZero(s)
}

// isFloat accepts decimal numbers (with a digit, so not "inf" or "nan"
// spelled any which way) and the non-finite values Drover writes.
func isFloat(s string) bool {
	switch s {
	case "NaN", "+Inf", "-Inf":
		return true
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil && strings.ContainsAny(s, "0123456789") && !leadingZero(s) &&
		!strings.ContainsAny(s, "xXpP_") // no hex floats or digit separators
}

// leadingZero reports a number written with a zero before its first
// significant digit ("007", "-01.5"): an identifier, not a quantity.
func leadingZero(s string) bool {
	d := strings.TrimLeft(s, "+-")
	return len(d) > 1 && d[0] == '0' && d[1] >= '0' && d[1] <= '9'
}

func isDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

func isTimestamp(s string) bool {
	_, err := types.ParseTimestamp(s)
	return err == nil
}

// convert turns one directory value into a value of t with SQL CAST
// semantics (the same code as CAST('...' AS t) in a query).
func convert(seg segment, t types.Type) (types.Value, error) {
	if seg.null {
		return types.NullValue(t), nil
	}
	if t.ID == types.String {
		return types.StringValue(seg.value), nil
	}
	v, err := eval.Fold(expr.Cast(expr.Lit(types.StringValue(seg.value)), t))
	if err == nil && v.Null {
		err = fmt.Errorf("converts to NULL")
	}
	if err != nil {
		return types.Value{}, fmt.Errorf("%w: %s=%s is not a %s: %w", ErrPartitionValue, seg.key, seg.value, t, err)
	}
	return v, nil
}
