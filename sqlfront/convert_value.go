package sqlfront

import (
	"math"
	"strconv"

	"github.com/pingcap/tidb/pkg/parser/mysql"
	"github.com/pingcap/tidb/pkg/parser/test_driver"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// convertValue maps a literal. Integers are int64 (the binder narrows them
// to the column they meet), numbers with a point are decimals, numbers
// with an exponent are float64, TRUE and FALSE are bools.
func convertValue(v *test_driver.ValueExpr) (*expr.Expr, error) {
	switch v.Kind() {
	case test_driver.KindNull:
		return expr.Lit(types.NullValue(types.NullType)), nil
	case test_driver.KindInt64:
		if v.Type.GetFlag()&mysql.IsBooleanFlag != 0 {
			return expr.Lit(types.BoolValue(v.GetInt64() != 0)), nil
		}
		return expr.Lit(types.Int64Value(v.GetInt64())), nil
	case test_driver.KindUint64:
		u := v.GetUint64()
		if u <= math.MaxInt64 {
			return expr.Lit(types.Int64Value(int64(u))), nil
		}
		return decimalLiteral(strconv.FormatUint(u, 10))
	case test_driver.KindFloat32, test_driver.KindFloat64:
		return expr.Lit(types.Float64Value(v.GetFloat64())), nil
	case test_driver.KindString, test_driver.KindBytes:
		return expr.Lit(types.StringValue(v.GetString())), nil
	case test_driver.KindMysqlDecimal:
		return decimalLiteral(v.GetMysqlDecimal().String())
	}
	return nil, unsupported("literal %s is not supported", sqlText(v))
}

func decimalLiteral(s string) (*expr.Expr, error) {
	d, err := types.ParseDecimal(s)
	if err != nil {
		return nil, unsupported("number %s is not supported: %v", s, err)
	}
	return expr.Lit(d), nil
}
