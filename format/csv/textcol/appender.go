package textcol

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/types"
)

// Options are a source's parsing choices for dates and timestamps.
type Options struct {
	// DateLayout is a Go time layout ("02/01/2006"); "" means YYYY-MM-DD.
	DateLayout string
	// TimestampLayout is a Go time layout; "" means ISO-8601 (see
	// ParseTimestamp).
	TimestampLayout string
}

// Appender parses values of one column straight into an Arrow builder.
// The parser is chosen once per column, so the per-value cost is one
// indirect call and no allocation.
type Appender interface {
	// Append parses b and appends it. The error names the value and the
	// type; the caller adds file, line and column.
	Append(b []byte) error
	AppendNull()
	Reserve(n int)
	// NewArray hands over what was appended and resets the builder.
	NewArray() arrow.Array
	Release()
}

// NewAppender returns the Appender for values of type t.
func NewAppender(mem memory.Allocator, t types.Type, o Options) (Appender, error) {
	switch t.ID {
	case types.String:
		return &stringApp{array.NewStringBuilder(mem)}, nil
	case types.Bool:
		b := array.NewBooleanBuilder(mem)
		return newTyped(b, b.Append, trimmed(ParseBool), t), nil
	case types.Int32:
		b := array.NewInt32Builder(mem)
		return newTyped(b, b.Append, trimmed(parseInt32), t), nil
	case types.Int64:
		b := array.NewInt64Builder(mem)
		return newTyped(b, b.Append, trimmed(ParseInt64), t), nil
	case types.Float32:
		b := array.NewFloat32Builder(mem)
		return newTyped(b, b.Append, trimmed(parseFloat32), t), nil
	case types.Float64:
		b := array.NewFloat64Builder(mem)
		return newTyped(b, b.Append, trimmed(parseFloat64), t), nil
	case types.Decimal:
		return &decimalApp{array.NewDecimal128Builder(mem, t.Arrow().(*arrow.Decimal128Type)), t}, nil
	case types.Date:
		b := array.NewDate32Builder(mem)
		return newTyped(b, b.Append, trimmed(dateParser(o.DateLayout)), t), nil
	case types.Timestamp:
		b := array.NewTimestampBuilder(mem, t.Arrow().(*arrow.TimestampType))
		return newTyped(b, b.Append, trimmed(timestampParser(o.TimestampLayout)), t), nil
	}
	return nil, fmt.Errorf("cannot read %s columns from text", t)
}

// ParseError reports text that is not a value of the column's type.
func ParseError(b []byte, t types.Type) error {
	return fmt.Errorf("cannot parse %s as %s", Quote(b), t)
}

// Quote renders a value for an error message, shortened when long.
func Quote(b []byte) string {
	const maxShown = 80
	if len(b) > maxShown {
		return fmt.Sprintf("%q...", b[:maxShown])
	}
	return fmt.Sprintf("%q", b)
}

// typed is the Appender of every fixed-width type: a parse function and
// the builder's Append.
type typed[T any] struct {
	array.Builder
	push  func(T)
	parse func([]byte) (T, bool)
	t     types.Type
}

func newTyped[T any](b array.Builder, push func(T), parse func([]byte) (T, bool), t types.Type) *typed[T] {
	return &typed[T]{Builder: b, push: push, parse: parse, t: t}
}

func (a *typed[T]) Append(b []byte) error {
	v, ok := a.parse(b)
	if !ok {
		return ParseError(b, a.t)
	}
	a.push(v)
	return nil
}

type stringApp struct{ b *array.StringBuilder }

func (a *stringApp) Append(v []byte) error { a.b.BinaryBuilder.Append(v); return nil }
func (a *stringApp) AppendNull()           { a.b.AppendNull() }
func (a *stringApp) Reserve(n int)         { a.b.Reserve(n) }
func (a *stringApp) NewArray() arrow.Array { return a.b.NewArray() }
func (a *stringApp) Release()              { a.b.Release() }

type decimalApp struct {
	b *array.Decimal128Builder
	t types.Type
}

func (a *decimalApp) Append(v []byte) error {
	n, err := ParseDecimal(trimSpace(v), a.t.Precision, a.t.Scale)
	if err == ErrOverflow {
		return fmt.Errorf("value %s does not fit %s", Quote(v), a.t)
	}
	if err != nil {
		return ParseError(v, a.t)
	}
	a.b.Append(n)
	return nil
}

func (a *decimalApp) AppendNull()           { a.b.AppendNull() }
func (a *decimalApp) Reserve(n int)         { a.b.Reserve(n) }
func (a *decimalApp) NewArray() arrow.Array { return a.b.NewArray() }
func (a *decimalApp) Release()              { a.b.Release() }

func trimmed[T any](parse func([]byte) (T, bool)) func([]byte) (T, bool) {
	return func(b []byte) (T, bool) { return parse(trimSpace(b)) }
}

func parseInt32(b []byte) (int32, bool) {
	v, ok := ParseInt64(b)
	if !ok || v < -1<<31 || v > 1<<31-1 {
		return 0, false
	}
	return int32(v), true
}

func parseFloat32(b []byte) (float32, bool) {
	f, ok := ParseFloat64(b, 32)
	return float32(f), ok
}

func parseFloat64(b []byte) (float64, bool) { return ParseFloat64(b, 64) }

func dateParser(layout string) func([]byte) (arrow.Date32, bool) {
	if layout == "" {
		return func(b []byte) (arrow.Date32, bool) {
			d, ok := ParseDate(b)
			return arrow.Date32(d), ok
		}
	}
	return func(b []byte) (arrow.Date32, bool) {
		us, ok := parseLayout(layout, b)
		return arrow.Date32(floorDiv(us, microsPerDay)), ok
	}
}

func timestampParser(layout string) func([]byte) (arrow.Timestamp, bool) {
	if layout == "" {
		return func(b []byte) (arrow.Timestamp, bool) {
			us, ok := ParseTimestamp(b)
			return arrow.Timestamp(us), ok
		}
	}
	return func(b []byte) (arrow.Timestamp, bool) {
		us, ok := parseLayout(layout, b)
		return arrow.Timestamp(us), ok
	}
}
