package logical

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/types"
)

// checkFrame validates a frame against the window's order keys and
// normalizes its offsets (see FrameBound.Offset).
func checkFrame(fr WindowFrame, order []SortKey) (WindowFrame, error) {
	if fr.Unit > FrameGroups || fr.Start.Kind > UnboundedFollowing || fr.End.Kind > UnboundedFollowing {
		return fr, errors.New("malformed frame")
	}
	if fr.Start.Kind == UnboundedFollowing {
		return fr, errors.New("frame start cannot be UNBOUNDED FOLLOWING")
	}
	if fr.End.Kind == UnboundedPreceding {
		return fr, errors.New("frame end cannot be UNBOUNDED PRECEDING")
	}
	if fr.Start.Kind > fr.End.Kind {
		return fr, fmt.Errorf("frame starting from %s cannot end with %s", fr.Start.Kind, fr.End.Kind)
	}
	var err error
	if fr.Start, err = checkBound(fr.Unit, fr.Start, order); err != nil {
		return fr, fmt.Errorf("frame start: %w", err)
	}
	if fr.End, err = checkBound(fr.Unit, fr.End, order); err != nil {
		return fr, fmt.Errorf("frame end: %w", err)
	}
	return fr, nil
}

func checkBound(unit FrameUnit, b FrameBound, order []SortKey) (FrameBound, error) {
	if b.Kind != Preceding && b.Kind != Following {
		b.Offset = types.Value{}
		return b, nil
	}
	v := b.Offset
	if v.Null || v.Type.ID == types.Null {
		return b, errors.New("offset must not be NULL")
	}
	switch unit {
	case FrameRows, FrameGroups:
		if unit == FrameGroups && len(order) == 0 {
			return b, errors.New("GROUPS frames need an ORDER BY")
		}
		if !v.Type.IsInteger() {
			return b, fmt.Errorf("%s offset must be an integer, got %s", unit, v.Type)
		}
		if v.I < 0 {
			return b, fmt.Errorf("offset must not be negative, got %d", v.I)
		}
		b.Offset = types.Int64Value(v.I)
		return b, nil
	}
	if len(order) != 1 {
		return b, fmt.Errorf("RANGE with an offset needs exactly one ORDER BY key, got %d", len(order))
	}
	off, err := rangeOffset(v, order[0].Expr.Type)
	if err != nil {
		return b, err
	}
	b.Offset = off
	return b, nil
}

// rangeOffset converts a RANGE offset into the order key's domain.
func rangeOffset(v types.Value, key types.Type) (types.Value, error) {
	neg := errors.New("offset must not be negative")
	switch {
	case key.IsInteger() || key.ID == types.Date || key.ID == types.Timestamp:
		if !v.Type.IsInteger() {
			return v, fmt.Errorf("not supported: RANGE offset of type %s over a %s key (give a whole number: days for DATE, microseconds for TIMESTAMP)", v.Type, key)
		}
		if v.I < 0 {
			return v, neg
		}
		return types.Int64Value(v.I), nil
	case key.IsFloat():
		f, ok := numericFloat(v)
		if !ok {
			return v, fmt.Errorf("RANGE offset over a %s key must be numeric, got %s", key, v.Type)
		}
		if f < 0 {
			return v, neg
		}
		return types.Float64Value(f), nil
	case key.ID == types.Decimal:
		r, ok := numericRat(v)
		if !ok {
			return v, fmt.Errorf("RANGE offset over a %s key must be numeric, got %s", key, v.Type)
		}
		if r.Sign() < 0 {
			return v, neg
		}
		scaled := new(big.Rat).Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(key.Scale)), nil)))
		if !scaled.IsInt() {
			return v, fmt.Errorf("RANGE offset %s has more digits than the key's scale %d", v, key.Scale)
		}
		n := decimal128.FromBigInt(scaled.Num())
		return types.DecimalValue(n, types.MaxDecimalPrecision, key.Scale), nil
	}
	return v, fmt.Errorf("not supported: RANGE offset over a %s key (numeric, DATE or TIMESTAMP keys only)", key)
}

func numericFloat(v types.Value) (float64, bool) {
	switch {
	case v.Type.IsInteger():
		return float64(v.I), true
	case v.Type.IsFloat():
		return v.F, true
	case v.Type.ID == types.Decimal:
		return v.Decimal128().ToFloat64(v.Type.Scale), true
	}
	return 0, false
}

func numericRat(v types.Value) (*big.Rat, bool) {
	switch {
	case v.Type.IsInteger():
		return new(big.Rat).SetInt64(v.I), true
	case v.Type.IsFloat():
		r := new(big.Rat)
		if r.SetFloat64(v.F) == nil {
			return nil, false
		}
		return r, true
	case v.Type.ID == types.Decimal:
		den := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(v.Type.Scale)), nil)
		return new(big.Rat).SetFrac(v.Decimal128().BigInt(), den), true
	}
	return nil, false
}
