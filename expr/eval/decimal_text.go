package eval

import (
	"strconv"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// appendDecimal writes an unscaled decimal with exactly scale fractional
// digits ("-0.05", "12.50"), avoiding math/big for values within 64 bits.
func appendDecimal(dst []byte, n decimal128.Num, scale int32) []byte {
	m, neg := mag(n)
	var digits []byte
	if m.hi == 0 {
		var tmp [20]byte
		digits = strconv.AppendUint(tmp[:0], m.lo, 10)
	} else {
		digits = m.big().Append(nil, 10)
	}
	if neg {
		dst = append(dst, '-')
	}
	s := int(scale)
	if s <= 0 {
		return append(dst, digits...)
	}
	if len(digits) <= s {
		dst = append(dst, '0', '.')
		for range s - len(digits) {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	at := len(digits) - s
	dst = append(dst, digits[:at]...)
	dst = append(dst, '.')
	return append(dst, digits[at:]...)
}

func formatDecimal(n decimal128.Num, scale int32) string {
	return string(appendDecimal(nil, n, scale))
}

// parseDecimal reads a decimal number ("-12.345", "+.5", "1e3") into the
// unscaled value at the given scale, rounding extra fractional digits half
// away from zero. ok is false for malformed text; fits is false when the
// value needs more than prec digits.
func parseDecimal(s string, prec, scale int32) (n decimal128.Num, ok, fits bool) {
	neg, mant, exp, ok := splitNumber(s)
	if !ok {
		return decimal128.Num{}, false, false
	}
	// mant holds the significant digits; the value is mant × 10^exp.
	shift := int(exp) + int(scale)
	m, fits := scaleDigits(mant, shift)
	if !fits || !m.less(pow10[prec]) {
		return decimal128.Num{}, true, false
	}
	return signed(m, neg), true, true
}

// splitNumber parses [sign] digits [. digits] [e [sign] digits] into the
// sign, the digits without leading zeros and the power of ten to apply.
func splitNumber(s string) (neg bool, mant []byte, exp int64, ok bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	seen := false
	for ; i < len(s) && isDigit(s[i]); i++ {
		seen = true
		mant = appendDigit(mant, s[i])
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && isDigit(s[i]); i++ {
			seen = true
			mant = appendDigit(mant, s[i])
			exp--
		}
	}
	if !seen {
		return false, nil, 0, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		e, err := strconv.ParseInt(s[i+1:], 10, 32)
		if err != nil {
			return false, nil, 0, false
		}
		exp += e
		i = len(s)
	}
	return neg, mant, exp, i == len(s)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func appendDigit(mant []byte, c byte) []byte {
	if len(mant) == 0 && c == '0' {
		return mant
	}
	return append(mant, c)
}

// scaleDigits computes the digit string times 10^shift, rounding half away
// from zero when shift drops digits. fits is false beyond 38 digits.
func scaleDigits(mant []byte, shift int) (u128, bool) {
	keep := len(mant) + shift
	if len(mant) == 0 || keep < 0 {
		return u128{}, true
	}
	if keep > 38 {
		return u128{}, false
	}
	var m u128
	for _, c := range mant[:min(keep, len(mant))] {
		m, _ = mul64(m, 10)
		m, _ = add128(m, u128{lo: uint64(c - '0')})
	}
	if keep > len(mant) {
		return scaleUp(m, keep-len(mant))
	}
	if keep < len(mant) && mant[keep] >= '5' {
		m, _ = add128(m, u128{lo: 1})
	}
	return m, true
}
