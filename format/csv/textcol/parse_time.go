package textcol

import (
	"time"

	"github.com/drover-etl/drover/types"
)

const (
	microsPerSecond = int64(1_000_000)
	microsPerDay    = 86400 * microsPerSecond
)

// ParseDate reads YYYY-MM-DD into days since 1970-01-01.
func ParseDate(b []byte) (int32, bool) {
	if len(b) != 10 || b[4] != '-' || b[7] != '-' {
		return 0, false
	}
	y, ok1 := digits(b[0:4])
	m, ok2 := digits(b[5:7])
	d, ok3 := digits(b[8:10])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, false
	}
	return int32(DaysFromCivil(y, m, d)), true
}

// ParseTimestamp reads an ISO-8601 timestamp into µs since the epoch, UTC:
// a date alone, or date, 'T' or ' ', HH:MM[:SS[.fraction]] and an optional
// zone (Z, ±HH, ±HH:MM, ±HHMM). No zone means UTC. Digits beyond
// microseconds are truncated. Other spellings go to types.ParseTimestamp.
func ParseTimestamp(b []byte) (int64, bool) {
	if len(b) < 10 {
		return 0, false
	}
	days, ok := ParseDate(b[:10])
	if !ok {
		return 0, false
	}
	us := int64(days) * microsPerDay
	if len(b) == 10 {
		return us, true
	}
	if (b[10] != 'T' && b[10] != ' ') || len(b) < 16 {
		return slowTimestamp(b)
	}
	tod, rest, ok := parseClock(b[11:])
	if !ok {
		return slowTimestamp(b)
	}
	off, ok := parseZone(rest)
	if !ok {
		return slowTimestamp(b)
	}
	return us + tod - off, true
}

func slowTimestamp(b []byte) (int64, bool) {
	us, err := types.ParseTimestamp(string(b))
	return us, err == nil
}

// parseClock reads HH:MM[:SS[.f...]] and returns µs since midnight and the
// unread rest.
func parseClock(b []byte) (int64, []byte, bool) {
	if len(b) < 5 || b[2] != ':' {
		return 0, nil, false
	}
	h, ok1 := digits(b[0:2])
	m, ok2 := digits(b[3:5])
	if !ok1 || !ok2 || h > 23 || m > 59 {
		return 0, nil, false
	}
	us := (int64(h)*3600 + int64(m)*60) * microsPerSecond
	b = b[5:]
	if len(b) >= 3 && b[0] == ':' {
		s, ok := digits(b[1:3])
		if !ok || s > 59 {
			return 0, nil, false
		}
		us += int64(s) * microsPerSecond
		b = b[3:]
		if len(b) > 0 && b[0] == '.' {
			frac, rest, ok := parseFraction(b[1:])
			if !ok {
				return 0, nil, false
			}
			us, b = us+frac, rest
		}
	}
	return us, b, true
}

// parseFraction reads 1-9 fractional digits as µs, truncating below µs.
func parseFraction(b []byte) (int64, []byte, bool) {
	n, v := 0, int64(0)
	for n < len(b) && b[n] >= '0' && b[n] <= '9' {
		if n < 6 {
			v = v*10 + int64(b[n]-'0')
		}
		n++
	}
	if n == 0 || n > 9 {
		return 0, nil, false
	}
	for i := n; i < 6; i++ {
		v *= 10
	}
	return v, b[n:], true
}

// parseZone reads an optional zone suffix into an offset in µs.
func parseZone(b []byte) (int64, bool) {
	switch {
	case len(b) == 0:
		return 0, true
	case len(b) == 1 && (b[0] == 'Z' || b[0] == 'z'):
		return 0, true
	case b[0] != '+' && b[0] != '-':
		return 0, false
	}
	sign := int64(1)
	if b[0] == '-' {
		sign = -1
	}
	b = b[1:]
	var h, m int
	ok, ok2 := false, true
	switch len(b) {
	case 2:
		h, ok = digits(b)
	case 4:
		h, ok = digits(b[:2])
		m, ok2 = digits(b[2:])
	case 5:
		h, ok = digits(b[:2])
		m, ok2 = digits(b[3:])
		ok2 = ok2 && b[2] == ':'
	}
	ok = ok && ok2
	if !ok || h > 23 || m > 59 {
		return 0, false
	}
	return sign * (int64(h)*3600 + int64(m)*60) * microsPerSecond, true
}

func digits(b []byte) (int, bool) {
	v := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

func daysIn(y, m int) int {
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

// DaysFromCivil is days since 1970-01-01 of a proleptic Gregorian date
// (Howard Hinnant's algorithm: no tables, no time.Time).
func DaysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(int64(y), 400)
	yoe := int64(y) - era*400
	mp := int64((m + 9) % 12)
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// CivilFromDays is the inverse of DaysFromCivil.
func CivilFromDays(z int64) (y, m, d int) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	m = int(mp + 3)
	if m > 12 {
		m -= 12
	}
	y = int(yoe + era*400)
	if m <= 2 {
		y++
	}
	return y, m, d
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// parseLayout reads b with a Go time layout (the date_format and
// timestamp_format options), in UTC unless the layout has a zone.
func parseLayout(layout string, b []byte) (int64, bool) {
	t, err := time.ParseInLocation(layout, string(b), time.UTC)
	if err != nil {
		return 0, false
	}
	return t.UnixMicro(), true
}
