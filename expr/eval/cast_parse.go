package eval

import (
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/types"
)

// parseKernel reads strings as to (see the cast matrix in cast.go).
func parseKernel(to types.Type) kernel {
	return func(b *batch, args []datum) (arrow.Array, error) {
		s := args[0].arr.(*array.String)
		switch to.ID {
		case types.Bool:
			return parseBools(b, s)
		case types.Int32:
			return parseRows(b, s, to, func(v string) (int32, bool) {
				n, err := strconv.ParseInt(v, 10, 32)
				return int32(n), err == nil
			})
		case types.Int64:
			return parseRows(b, s, to, func(v string) (int64, bool) {
				n, err := strconv.ParseInt(v, 10, 64)
				return n, err == nil
			})
		case types.Float32:
			return parseRows(b, s, to, func(v string) (float32, bool) {
				f, err := strconv.ParseFloat(v, 32)
				return float32(f), err == nil
			})
		case types.Float64:
			return parseRows(b, s, to, func(v string) (float64, bool) {
				f, err := strconv.ParseFloat(v, 64)
				return f, err == nil
			})
		case types.Decimal:
			return parseDecimals(b, s, to)
		case types.Date:
			return parseRows(b, s, to, func(v string) (int32, bool) {
				d, ok := parseDate(v)
				return int32(d), ok && d >= math.MinInt32 && d <= math.MaxInt32
			})
		case types.Timestamp:
			return parseRows(b, s, to, parseTimestamp)
		}
		return nil, invalidf("cannot cast string to %s", to)
	}
}

// parseRows parses every non-NULL row after trimming whitespace; the first
// failure aborts the batch with a CastError quoting the original text.
func parseRows[T fixed](b *batch, s *array.String, to types.Type, parse func(string) (T, bool)) (arrow.Array, error) {
	buf, out := allocFixed[T](b.mem, b.n)
	for i := range out {
		if s.IsNull(i) {
			continue
		}
		v, ok := parse(strings.TrimSpace(s.Value(i)))
		if !ok {
			buf.Release()
			return nil, castStringError(s.Value(i), to)
		}
		out[i] = v
	}
	valid, nulls := validAnd(b.mem, b.n, s)
	return fixedArray(to, b.n, buf, valid, nulls), nil
}

// parseDecimals tells malformed text from a value too wide for the type.
func parseDecimals(b *batch, s *array.String, to types.Type) (arrow.Array, error) {
	var failed error
	arr, err := parseRows(b, s, to, func(v string) (decimal128.Num, bool) {
		n, ok, fits := parseDecimal(v, to.Precision, to.Scale)
		if ok && !fits {
			failed = castRangeError(strconv.Quote(v), to)
		}
		return n, ok && fits
	})
	if failed != nil {
		return nil, failed
	}
	return arr, err
}

// boolWords are the spellings PostgreSQL accepts, case-insensitively.
var boolWords = map[string]bool{
	"true": true, "t": true, "yes": true, "y": true, "on": true, "1": true,
	"false": false, "f": false, "no": false, "n": false, "off": false, "0": false,
}

func parseBools(b *batch, s *array.String) (arrow.Array, error) {
	data := newBitmap(b.mem, b.n)
	out := data.Bytes()
	for i := range b.n {
		if s.IsNull(i) {
			continue
		}
		v, ok := boolWords[strings.ToLower(strings.TrimSpace(s.Value(i)))]
		if !ok {
			data.Release()
			return nil, castStringError(s.Value(i), types.BoolType)
		}
		if v {
			out[i>>3] |= 1 << (i & 7)
		}
	}
	valid, nulls := validAnd(b.mem, b.n, s)
	return boolArray(b.n, data, valid, nulls), nil
}
