package types

import (
	"fmt"
	"math/big"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// Value is one typed scalar: a literal in a plan or a constant-folded result.
// Exactly one payload field is meaningful, chosen by Type.ID:
//
//	Bool → B; Int32, Int64, Date (days since epoch), Timestamp (µs since
//	epoch, UTC) → I; Float32, Float64 → F; String → S;
//	Decimal → unscaled value in Hi/Lo (two's complement 128-bit).
//
// It is a plain struct so that plans serialize as JSON without custom code.
type Value struct {
	Type Type    `json:"type"`
	Null bool    `json:"null,omitempty"`
	B    bool    `json:"b,omitempty"`
	I    int64   `json:"i,omitempty"`
	F    float64 `json:"f,omitempty"`
	S    string  `json:"s,omitempty"`
	Hi   int64   `json:"hi,omitempty"`
	Lo   uint64  `json:"lo,omitempty"`
}

// NullValue is a NULL of type t.
func NullValue(t Type) Value { return Value{Type: t, Null: true} }

// BoolValue, IntValue and friends build non-null values.
func BoolValue(b bool) Value       { return Value{Type: BoolType, B: b} }
func Int64Value(i int64) Value     { return Value{Type: Int64Type, I: i} }
func Int32Value(i int32) Value     { return Value{Type: Int32Type, I: int64(i)} }
func Float64Value(f float64) Value { return Value{Type: Float64Type, F: f} }
func StringValue(s string) Value   { return Value{Type: StringType, S: s} }
func DateValue(days int32) Value   { return Value{Type: DateType, I: int64(days)} }
func TimestampValue(us int64) Value {
	return Value{Type: TimestampType, I: us}
}

// DecimalValue builds a decimal from its unscaled 128-bit value.
func DecimalValue(n decimal128.Num, p, s int32) Value {
	return Value{Type: DecimalOf(p, s), Hi: n.HighBits(), Lo: n.LowBits()}
}

// Decimal128 returns the unscaled decimal payload.
func (v Value) Decimal128() decimal128.Num { return decimal128.New(v.Hi, v.Lo) }

// ParseDecimal reads a decimal literal like "-12.340" into decimal(p,s) with
// p and s taken from the text (at least p=1).
func ParseDecimal(s string) (Value, error) {
	if _, ok := new(big.Rat).SetString(s); !ok {
		return Value{}, fmt.Errorf("malformed decimal %q", s)
	}
	scale := int32(0)
	digits := int32(0)
	seenDot := false
	for _, c := range s {
		switch {
		case c == '.':
			seenDot = true
		case c >= '0' && c <= '9':
			digits++
			if seenDot {
				scale++
			}
		case c == 'e' || c == 'E':
			return Value{}, fmt.Errorf("decimal %q: exponent not allowed", s)
		}
	}
	p := max(digits, scale, 1)
	if p > MaxDecimalPrecision {
		return Value{}, fmt.Errorf("decimal %q: more than %d digits", s, MaxDecimalPrecision)
	}
	n, err := decimal128.FromString(s, p, scale)
	if err != nil {
		return Value{}, fmt.Errorf("decimal %q: %w", s, err)
	}
	return DecimalValue(n, p, scale), nil
}

// Epoch is the zero of Date and Timestamp values.
var Epoch = time.Unix(0, 0).UTC()

// ParseDate reads YYYY-MM-DD into days since the epoch.
func ParseDate(s string) (int32, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return 0, fmt.Errorf("malformed date %q (want YYYY-MM-DD)", s)
	}
	return int32(t.Unix() / 86400), nil
}

// timestampLayouts are the accepted timestamp spellings, most specific first.
var timestampLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
}

// ParseTimestamp reads an ISO-8601 timestamp (date only, space or T
// separator, optional fraction and zone; no zone means UTC) into µs since
// the epoch.
func ParseTimestamp(s string) (int64, error) {
	for _, layout := range timestampLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UnixMicro(), nil
		}
	}
	return 0, fmt.Errorf("malformed timestamp %q (want YYYY-MM-DD[ HH:MM:SS[.ffffff]][zone])", s)
}

// FormatDate renders days since the epoch as YYYY-MM-DD.
func FormatDate(days int32) string {
	return Epoch.AddDate(0, 0, int(days)).Format("2006-01-02")
}

// FormatTimestamp renders µs since the epoch as ISO-8601 in UTC.
func FormatTimestamp(us int64) string {
	return time.UnixMicro(us).UTC().Format("2006-01-02 15:04:05.999999")
}

// String renders the value as SQL would print it (NULL, 'text', 1.50, ...).
func (v Value) String() string {
	if v.Null {
		return "NULL"
	}
	switch v.Type.ID {
	case Bool:
		return strconv.FormatBool(v.B)
	case Int32, Int64:
		return strconv.FormatInt(v.I, 10)
	case Float32, Float64:
		return strconv.FormatFloat(v.F, 'g', -1, 64)
	case Decimal:
		return v.Decimal128().ToString(v.Type.Scale)
	case String:
		return strconv.Quote(v.S)
	case Date:
		return "DATE '" + FormatDate(int32(v.I)) + "'"
	case Timestamp:
		return "TIMESTAMP '" + FormatTimestamp(v.I) + "'"
	}
	return "NULL"
}
