package textcol

import (
	"math"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// AppendDate renders days since the epoch as YYYY-MM-DD.
func AppendDate(dst []byte, days int64) []byte {
	y, m, d := CivilFromDays(days)
	if y < 0 || y > 9999 {
		return time.UnixMicro(days*microsPerDay).UTC().AppendFormat(dst, "2006-01-02")
	}
	dst = appendPadded(dst, y, 4)
	dst = append(dst, '-')
	dst = appendPadded(dst, m, 2)
	dst = append(dst, '-')
	return appendPadded(dst, d, 2)
}

// AppendTimestamp renders µs since the epoch as "2006-01-02 15:04:05.999999"
// in UTC (no fraction when it is zero, trailing zeros dropped), the same
// text as types.FormatTimestamp.
func AppendTimestamp(dst []byte, us int64) []byte {
	days := floorDiv(us, microsPerDay)
	tod := us - days*microsPerDay
	dst = AppendDate(dst, days)
	secs := int(tod / microsPerSecond)
	dst = append(dst, ' ')
	dst = appendPadded(dst, secs/3600, 2)
	dst = append(dst, ':')
	dst = appendPadded(dst, secs/60%60, 2)
	dst = append(dst, ':')
	dst = appendPadded(dst, secs%60, 2)
	frac := int(tod % microsPerSecond)
	if frac == 0 {
		return dst
	}
	width := 6
	for frac%10 == 0 {
		frac /= 10
		width--
	}
	dst = append(dst, '.')
	return appendPadded(dst, frac, width)
}

func appendPadded(dst []byte, v, width int) []byte {
	var buf [20]byte
	s := strconv.AppendInt(buf[:0], int64(v), 10)
	for i := len(s); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, s...)
}

// AppendDecimal renders an unscaled decimal with exactly scale fractional
// digits ("1.50", "-0.07").
func AppendDecimal(dst []byte, n decimal128.Num, scale int32) []byte {
	hi, lo := n.HighBits(), n.LowBits()
	if !((hi == 0 && lo <= math.MaxInt64) || (hi == -1 && lo > math.MaxInt64)) {
		return append(dst, n.ToString(scale)...)
	}
	v := int64(lo)
	if v < 0 {
		dst = append(dst, '-')
	}
	var buf [24]byte
	digits := strconv.AppendUint(buf[:0], absU64(v), 10)
	if scale <= 0 {
		return append(dst, digits...)
	}
	s := int(scale)
	if len(digits) <= s {
		dst = append(dst, '0', '.')
		for i := len(digits); i < s; i++ {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	dst = append(dst, digits[:len(digits)-s]...)
	dst = append(dst, '.')
	return append(dst, digits[len(digits)-s:]...)
}

func absU64(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}

// AppendFloat renders the shortest text that reads back as the same float,
// with ".0" added to integral values so that re-inference sees a float.
func AppendFloat(dst []byte, f float64, bitSize int) []byte {
	start := len(dst)
	dst = strconv.AppendFloat(dst, f, 'g', -1, bitSize)
	for _, c := range dst[start:] {
		if (c < '0' || c > '9') && c != '-' {
			return dst
		}
	}
	return append(dst, '.', '0')
}
