package eval

import (
	"strings"

	"github.com/drover-etl/drover/types"
)

// Dates are days since 1970-01-01 and timestamps µs since then, UTC. The
// calendar math below is Howard Hinnant's days_from_civil/civil_from_days
// (proleptic Gregorian), which needs no time.Time per row.

const (
	usPerSecond = int64(1_000_000)
	usPerMinute = 60 * usPerSecond
	usPerHour   = 60 * usPerMinute
	usPerDay    = 24 * usPerHour
)

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// civil converts days since the epoch to year, month (1-12), day (1-31).
func civil(days int64) (y int64, m, d int) {
	z := days + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	m = int(mp + 3)
	if mp >= 10 {
		m = int(mp - 9)
	}
	y = yoe + era*400
	if m <= 2 {
		y++
	}
	return y, m, d
}

// daysFromCivil is the inverse of civil.
func daysFromCivil(y int64, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := int64((m + 9) % 12)
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func daysIn(y int64, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// appendDate writes YYYY-MM-DD.
func appendDate(dst []byte, days int64) []byte {
	y, m, d := civil(days)
	if y < 0 {
		dst = append(dst, '-')
		y = -y
	}
	dst = appendPadded(dst, y, 4)
	dst = append(dst, '-')
	dst = appendPadded(dst, int64(m), 2)
	dst = append(dst, '-')
	return appendPadded(dst, int64(d), 2)
}

// appendTimestamp writes "YYYY-MM-DD HH:MM:SS" plus a fraction without
// trailing zeros, like types.FormatTimestamp.
func appendTimestamp(dst []byte, us int64) []byte {
	day, rem := floorDiv(us, usPerDay), floorMod(us, usPerDay)
	dst = appendDate(dst, day)
	dst = append(dst, ' ')
	dst = appendPadded(dst, rem/usPerHour, 2)
	dst = append(dst, ':')
	dst = appendPadded(dst, rem/usPerMinute%60, 2)
	dst = append(dst, ':')
	dst = appendPadded(dst, rem/usPerSecond%60, 2)
	frac := rem % usPerSecond
	if frac == 0 {
		return dst
	}
	dst = append(dst, '.')
	digits := 6
	for frac%10 == 0 {
		frac /= 10
		digits--
	}
	return appendPadded(dst, frac, digits)
}

func appendPadded(dst []byte, v int64, width int) []byte {
	var tmp [20]byte
	i := len(tmp)
	for v > 0 || i > len(tmp)-width {
		i--
		tmp[i] = byte('0' + v%10)
		v /= 10
	}
	return append(dst, tmp[i:]...)
}

// parseDate reads YYYY-MM-DD (1- or 2-digit month and day accepted) and,
// failing that, a timestamp whose date part it keeps, as PostgreSQL does.
func parseDate(s string) (int64, bool) {
	if d, rest, ok := scanDate(s); ok && rest == "" {
		return d, true
	}
	if us, ok := parseTimestamp(s); ok {
		return floorDiv(us, usPerDay), true
	}
	return 0, false
}

// scanDate reads a leading YYYY-M-D and returns the rest of s.
func scanDate(s string) (int64, string, bool) {
	y, s, ok1 := scanInt(s, 4, 4)
	s, ok2 := skip(s, '-')
	m, s, ok3 := scanInt(s, 1, 2)
	s, ok4 := skip(s, '-')
	d, s, ok5 := scanInt(s, 1, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5) || m < 1 || m > 12 || d < 1 || int(d) > daysIn(y, int(m)) {
		return 0, s, false
	}
	return daysFromCivil(y, int(m), int(d)), s, true
}

// parseTimestamp reads "YYYY-MM-DD[( |T)HH:MM[:SS[.fraction]]][Z]" quickly
// and hands anything else (zones) to types.ParseTimestamp.
func parseTimestamp(s string) (int64, bool) {
	if us, ok := scanTimestamp(s); ok {
		return us, true
	}
	us, err := types.ParseTimestamp(s)
	return us, err == nil
}

func scanTimestamp(s string) (int64, bool) {
	days, rest, ok := scanDate(s)
	if !ok {
		return 0, false
	}
	rest = strings.TrimSuffix(rest, "Z")
	if rest == "" {
		return days * usPerDay, true
	}
	if rest[0] != ' ' && rest[0] != 'T' {
		return 0, false
	}
	tod, ok := scanTime(rest[1:])
	return days*usPerDay + tod, ok
}

// scanTime reads HH:MM[:SS[.f{1,9}]] as µs since midnight (a fraction
// finer than µs is truncated).
func scanTime(s string) (int64, bool) {
	h, s, ok1 := scanInt(s, 2, 2)
	s, ok2 := skip(s, ':')
	m, s, ok3 := scanInt(s, 2, 2)
	if !(ok1 && ok2 && ok3) || h > 23 || m > 59 {
		return 0, false
	}
	us := h*usPerHour + m*usPerMinute
	if s == "" {
		return us, true
	}
	s, ok := skip(s, ':')
	sec, s, ok2 := scanInt(s, 2, 2)
	if !ok || !ok2 || sec > 59 {
		return 0, false
	}
	us += sec * usPerSecond
	if s == "" {
		return us, true
	}
	s, ok = skip(s, '.')
	f, rest, ok2 := scanInt(s, 1, 9)
	if !ok || !ok2 || rest != "" {
		return 0, false
	}
	for range 9 - len(s) {
		f *= 10
	}
	return us + f/1000, true
}

func scanInt(s string, lo, hi int) (int64, string, bool) {
	var v int64
	i := 0
	for ; i < len(s) && i < hi && isDigit(s[i]); i++ {
		v = v*10 + int64(s[i]-'0')
	}
	return v, s[i:], i >= lo
}

func skip(s string, c byte) (string, bool) {
	if s == "" || s[0] != c {
		return s, false
	}
	return s[1:], true
}
