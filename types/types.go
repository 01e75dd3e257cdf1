package types

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// ID names a logical type.
type ID uint8

// The logical types. Null is the type of an untyped NULL literal only.
const (
	Null ID = iota
	Bool
	Int32
	Int64
	Float32
	Float64
	Decimal
	String
	Date
	Timestamp
)

var idNames = [...]string{"null", "bool", "int32", "int64", "float32", "float64", "decimal", "string", "date", "timestamp"}

func (id ID) String() string {
	if int(id) < len(idNames) {
		return idNames[id]
	}
	return fmt.Sprintf("type(%d)", uint8(id))
}

// Type is a logical column type. Precision and Scale are set for Decimal only.
type Type struct {
	ID        ID    `json:"id"`
	Precision int32 `json:"p,omitempty"`
	Scale     int32 `json:"s,omitempty"`
}

// Convenience values for the parameterless types.
var (
	NullType      = Type{ID: Null}
	BoolType      = Type{ID: Bool}
	Int32Type     = Type{ID: Int32}
	Int64Type     = Type{ID: Int64}
	Float32Type   = Type{ID: Float32}
	Float64Type   = Type{ID: Float64}
	StringType    = Type{ID: String}
	DateType      = Type{ID: Date}
	TimestampType = Type{ID: Timestamp}
)

// DecimalOf returns decimal(p,s).
func DecimalOf(p, s int32) Type { return Type{ID: Decimal, Precision: p, Scale: s} }

func (t Type) String() string {
	if t.ID == Decimal {
		return fmt.Sprintf("decimal(%d,%d)", t.Precision, t.Scale)
	}
	return t.ID.String()
}

// IsNumeric reports whether arithmetic applies to t.
func (t Type) IsNumeric() bool {
	switch t.ID {
	case Int32, Int64, Float32, Float64, Decimal:
		return true
	}
	return false
}

// IsInteger reports whether t is int32 or int64.
func (t Type) IsInteger() bool { return t.ID == Int32 || t.ID == Int64 }

// IsFloat reports whether t is float32 or float64.
func (t Type) IsFloat() bool { return t.ID == Float32 || t.ID == Float64 }

// MaxDecimalPrecision is the widest decimal Drover stores (Arrow decimal128).
const MaxDecimalPrecision = 38

// Arrow returns the Arrow data type that holds values of t. Strings are
// plain utf8 here; operators also accept dictionary<int32, utf8> arrays for
// String columns (see IsString on arrow types in the exec packages).
func (t Type) Arrow() arrow.DataType {
	switch t.ID {
	case Null:
		return arrow.Null
	case Bool:
		return arrow.FixedWidthTypes.Boolean
	case Int32:
		return arrow.PrimitiveTypes.Int32
	case Int64:
		return arrow.PrimitiveTypes.Int64
	case Float32:
		return arrow.PrimitiveTypes.Float32
	case Float64:
		return arrow.PrimitiveTypes.Float64
	case Decimal:
		return &arrow.Decimal128Type{Precision: t.Precision, Scale: t.Scale}
	case String:
		return arrow.BinaryTypes.String
	case Date:
		return arrow.FixedWidthTypes.Date32
	case Timestamp:
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	}
	panic("types: unknown type " + t.String())
}

// FromArrow maps an Arrow type to a logical type. Dictionary-encoded strings
// map to String; timestamps of any unit map to Timestamp; narrower integers
// widen to Int32. It fails for Arrow types Drover does not support.
func FromArrow(dt arrow.DataType) (Type, error) {
	switch dt.ID() {
	case arrow.NULL:
		return NullType, nil
	case arrow.BOOL:
		return BoolType, nil
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.UINT8, arrow.UINT16:
		return Int32Type, nil
	case arrow.INT64, arrow.UINT32:
		return Int64Type, nil
	case arrow.FLOAT16, arrow.FLOAT32:
		return Float32Type, nil
	case arrow.FLOAT64:
		return Float64Type, nil
	case arrow.DECIMAL128:
		d := dt.(*arrow.Decimal128Type)
		return DecimalOf(d.Precision, d.Scale), nil
	case arrow.DECIMAL32, arrow.DECIMAL64:
		d := dt.(arrow.DecimalType)
		return DecimalOf(d.GetPrecision(), d.GetScale()), nil
	case arrow.STRING, arrow.LARGE_STRING, arrow.STRING_VIEW, arrow.BINARY, arrow.LARGE_BINARY:
		return StringType, nil
	case arrow.DICTIONARY:
		return FromArrow(dt.(*arrow.DictionaryType).ValueType)
	case arrow.DATE32, arrow.DATE64:
		return DateType, nil
	case arrow.TIMESTAMP:
		return TimestampType, nil
	}
	return Type{}, fmt.Errorf("unsupported Arrow type %s", dt)
}

// Parse reads a type name as written in a job spec or a CAST: bool, boolean,
// int, int32, integer, bigint, int64, long, float, float32, real, double,
// float64, decimal(p,s), numeric(p,s), string, varchar, text, char, date,
// timestamp, datetime. Case-insensitive; a length like varchar(20) is ignored.
func Parse(s string) (Type, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	args := ""
	if i := strings.IndexByte(name, '('); i >= 0 {
		if !strings.HasSuffix(name, ")") {
			return Type{}, fmt.Errorf("malformed type %q", s)
		}
		args = strings.TrimSpace(name[i+1 : len(name)-1])
		name = strings.TrimSpace(name[:i])
	}
	switch name {
	case "bool", "boolean":
		return BoolType, nil
	case "int", "int32", "integer", "smallint", "tinyint", "int8", "int16":
		return Int32Type, nil
	case "bigint", "int64", "long", "signed":
		return Int64Type, nil
	case "float", "float32", "real":
		return Float32Type, nil
	case "double", "float64", "double precision":
		return Float64Type, nil
	case "string", "varchar", "text", "char", "utf8":
		return StringType, nil
	case "date":
		return DateType, nil
	case "timestamp", "datetime":
		return TimestampType, nil
	case "decimal", "numeric":
		return parseDecimalArgs(s, args)
	}
	return Type{}, fmt.Errorf("unknown type %q (want one of bool, int32, int64, float32, float64, decimal(p,s), string, date, timestamp)", s)
}

func parseDecimalArgs(orig, args string) (Type, error) {
	if args == "" {
		return DecimalOf(10, 0), nil
	}
	parts := strings.Split(args, ",")
	p, err := strconv.Atoi(strings.TrimSpace(parts[0]))
	if err != nil || p < 1 || p > MaxDecimalPrecision {
		return Type{}, fmt.Errorf("type %q: precision must be 1..%d", orig, MaxDecimalPrecision)
	}
	scale := 0
	if len(parts) == 2 {
		scale, err = strconv.Atoi(strings.TrimSpace(parts[1]))
		if err != nil || scale < 0 || scale > p {
			return Type{}, fmt.Errorf("type %q: scale must be 0..precision", orig)
		}
	} else if len(parts) > 2 {
		return Type{}, fmt.Errorf("malformed type %q", orig)
	}
	return DecimalOf(int32(p), int32(scale)), nil
}
