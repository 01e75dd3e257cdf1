package eval

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// Small string, float and date functions of the registry.

func init() {
	builders[expr.FnOctetLength] = rowBuilder("s", strictLift, fixed1(func(a []types.Value) (types.Value, error) {
		return i64Val(int64(len(a[0].S))), nil
	}))
	builders[expr.FnBitLength] = rowBuilder("s", strictLift, fixed1(func(a []types.Value) (types.Value, error) {
		return i64Val(8 * int64(len(a[0].S))), nil
	}))
	builders[expr.FnToBase64] = rowBuilder("s", strictLift, fixed1(strFn(func(s string) string {
		return base64.StdEncoding.EncodeToString([]byte(s))
	})))
	builders[expr.FnFromBase64] = rowBuilder("s", strictLift, fixed1(fromBase64Row))
	builders[expr.FnHex] = rowBuilder("s", strictLift, fixed1(strFn(func(s string) string {
		return strings.ToUpper(hex.EncodeToString([]byte(s)))
	})))
	builders[expr.FnLevenshtein] = rowBuilder("ss", strictLift, fixed1(func(a []types.Value) (types.Value, error) {
		return i64Val(int64(types.EditDistance(a[0].S, a[1].S))), nil
	}))
	builders[expr.FnIsNaN] = rowBuilder("f", strict, fixed1(floatTest(math.IsNaN)))
	builders[expr.FnIsInf] = rowBuilder("f", strict, fixed1(floatTest(func(x float64) bool { return math.IsInf(x, 0) })))
	builders[expr.FnIsFinite] = rowBuilder("f", strict, fixed1(floatTest(func(x float64) bool {
		return !math.IsNaN(x) && !math.IsInf(x, 0)
	})))
	builders[expr.FnDayName] = rowBuilder("t", strict, fixed1(func(a []types.Value) (types.Value, error) {
		return strVal(dayNames[sunday0(floorDiv(asMicros(a[0]), usPerDay))]), nil
	}))
	builders[expr.FnMonthName] = rowBuilder("t", strict, fixed1(func(a []types.Value) (types.Value, error) {
		_, m, _ := civil(floorDiv(asMicros(a[0]), usPerDay))
		return strVal(monthNames[m-1]), nil
	}))
}

func floatTest(f func(float64) bool) rowFn {
	return func(a []types.Value) (types.Value, error) { return types.BoolValue(f(a[0].F)), nil }
}

func fromBase64Row(a []types.Value) (types.Value, error) {
	b, err := base64.StdEncoding.DecodeString(a[0].S)
	if err != nil {
		return types.Value{}, fmt.Errorf("%w: from_base64: %v", ErrInvalidArg, err)
	}
	if !utf8.Valid(b) {
		return types.Value{}, fmt.Errorf("%w: from_base64: the decoded bytes are not UTF-8 text", ErrInvalidArg)
	}
	return strVal(string(b)), nil
}
