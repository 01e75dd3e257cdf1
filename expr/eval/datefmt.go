package eval

import (
	"fmt"
	"strings"
)

// Date formats, compiled from strftime codes (DuckDB: strftime,
// strptime) or Spark datetime patterns (date_format, to_date,
// to_timestamp, from_unixtime) into one token list that both formatting
// and parsing walk. Everything is UTC.

type fmtKind uint8

const (
	fLit       fmtKind = iota
	fYear              // full year; width = minimum digits
	fYear2             // two-digit year (parse: 2000-2068 / 1969-1999 as POSIX)
	fMonth             // width 1 or 2
	fMonthAbbr         // Jan
	fMonthName         // January
	fDay
	fDayOfYear
	fHour24
	fHour12
	fMinute
	fSecond
	fFrac // width digits of the second's fraction
	fAMPM
	fDowAbbr  // Mon
	fDowName  // Monday
	fDowSun0  // 0 = Sunday (%w)
	fDowISO   // 1 = Monday (%u)
	fISOWeek  // %V
	fZoneName // %Z: always UTC
	fZoneOff  // %z: always +00:00
)

type fmtToken struct {
	kind  fmtKind
	width int    // 0: no padding (strftime's %-d); digits otherwise
	lit   string // fLit
}

var monthNames = []string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}
var dayNames = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

// compileStrftime reads strftime codes.
func compileStrftime(f string) ([]fmtToken, error) {
	var out []fmtToken
	lit := func(s string) {
		if n := len(out); n > 0 && out[n-1].kind == fLit {
			out[n-1].lit += s
			return
		}
		out = append(out, fmtToken{kind: fLit, lit: s})
	}
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			lit(f[i : i+1])
			continue
		}
		i++
		if i >= len(f) {
			return nil, fmt.Errorf("%w: format %q ends in %%", ErrInvalidArg, f)
		}
		pad := 2
		if f[i] == '-' && i+1 < len(f) {
			pad = 0
			i++
		}
		t, ok := strftimeCodes[f[i]]
		if !ok {
			if f[i] == '%' {
				lit("%")
				continue
			}
			return nil, fmt.Errorf("%w: strftime code %%%c is not supported in %q", ErrInvalidArg, f[i], f)
		}
		if t.width == 2 {
			t.width = pad
		} else if t.width == 3 && pad == 0 {
			t.width = 0
		}
		out = append(out, t)
	}
	return out, nil
}

var strftimeCodes = map[byte]fmtToken{
	'Y': {kind: fYear, width: 4}, 'y': {kind: fYear2, width: 2}, 'm': {kind: fMonth, width: 2},
	'b': {kind: fMonthAbbr}, 'h': {kind: fMonthAbbr}, 'B': {kind: fMonthName}, 'd': {kind: fDay, width: 2},
	'e': {kind: fDay, width: 2}, 'j': {kind: fDayOfYear, width: 3}, 'H': {kind: fHour24, width: 2},
	'I': {kind: fHour12, width: 2}, 'M': {kind: fMinute, width: 2}, 'S': {kind: fSecond, width: 2},
	'f': {kind: fFrac, width: 6}, 'g': {kind: fFrac, width: 3}, 'n': {kind: fFrac, width: 9},
	'p': {kind: fAMPM}, 'a': {kind: fDowAbbr}, 'A': {kind: fDowName}, 'w': {kind: fDowSun0, width: 1},
	'u': {kind: fDowISO, width: 1}, 'V': {kind: fISOWeek, width: 2}, 'Z': {kind: fZoneName}, 'z': {kind: fZoneOff},
}

// compileSpark reads a Spark datetime pattern: runs of letters are
// fields, '...' quotes literals (” is a quote), other characters are
// literal.
func compileSpark(p string) ([]fmtToken, error) {
	var out []fmtToken
	lit := func(s string) {
		if n := len(out); n > 0 && out[n-1].kind == fLit {
			out[n-1].lit += s
			return
		}
		out = append(out, fmtToken{kind: fLit, lit: s})
	}
	for i := 0; i < len(p); {
		c := p[i]
		switch {
		case c == '\'':
			end := strings.IndexByte(p[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("%w: unterminated quote in pattern %q", ErrInvalidArg, p)
			}
			if end == 0 {
				lit("'")
			} else {
				lit(p[i+1 : i+1+end])
			}
			i += end + 2
		case isLetter(c):
			j := i
			for j < len(p) && p[j] == c {
				j++
			}
			t, err := sparkField(c, j-i, p)
			if err != nil {
				return nil, err
			}
			out = append(out, t)
			i = j
		default:
			lit(p[i : i+1])
			i++
		}
	}
	return out, nil
}

func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

func sparkField(c byte, n int, p string) (fmtToken, error) {
	switch c {
	case 'y', 'u':
		if n == 2 {
			return fmtToken{kind: fYear2, width: 2}, nil
		}
		return fmtToken{kind: fYear, width: n}, nil
	case 'M', 'L':
		switch {
		case n >= 4:
			return fmtToken{kind: fMonthName}, nil
		case n == 3:
			return fmtToken{kind: fMonthAbbr}, nil
		}
		return fmtToken{kind: fMonth, width: n}, nil
	case 'd':
		return fmtToken{kind: fDay, width: n}, nil
	case 'D':
		return fmtToken{kind: fDayOfYear, width: n}, nil
	case 'H':
		return fmtToken{kind: fHour24, width: n}, nil
	case 'h':
		return fmtToken{kind: fHour12, width: n}, nil
	case 'm':
		return fmtToken{kind: fMinute, width: n}, nil
	case 's':
		return fmtToken{kind: fSecond, width: n}, nil
	case 'S':
		return fmtToken{kind: fFrac, width: n}, nil
	case 'a':
		return fmtToken{kind: fAMPM}, nil
	case 'E':
		if n >= 4 {
			return fmtToken{kind: fDowName}, nil
		}
		return fmtToken{kind: fDowAbbr}, nil
	}
	return fmtToken{}, fmt.Errorf("%w: pattern letter %q is not supported in %q", ErrInvalidArg, strings.Repeat(string(c), n), p)
}

// clock is a timestamp split into fields.
type clock struct {
	y                     int64
	m, d                  int
	hour, min, sec, micro int64
	days                  int64
}

func splitMicros(us int64) clock {
	days, rem := floorDiv(us, usPerDay), floorMod(us, usPerDay)
	y, m, d := civil(days)
	return clock{y: y, m: m, d: d, hour: rem / usPerHour, min: rem / usPerMinute % 60,
		sec: rem / usPerSecond % 60, micro: rem % usPerSecond, days: days}
}

// formatTime renders us with the tokens.
func formatTime(dst []byte, toks []fmtToken, us int64) []byte {
	c := splitMicros(us)
	for _, t := range toks {
		dst = formatToken(dst, t, c)
	}
	return dst
}

func formatToken(dst []byte, t fmtToken, c clock) []byte {
	num := func(v int64) []byte {
		if v < 0 {
			dst = append(dst, '-')
			v = -v
		}
		return appendPadded(dst, v, max(t.width, 1))
	}
	switch t.kind {
	case fLit:
		return append(dst, t.lit...)
	case fYear:
		return num(c.y)
	case fYear2:
		return appendPadded(dst, floorMod(c.y, 100), 2)
	case fMonth:
		return num(int64(c.m))
	case fMonthAbbr:
		return append(dst, monthNames[c.m-1][:3]...)
	case fMonthName:
		return append(dst, monthNames[c.m-1]...)
	case fDay:
		return num(int64(c.d))
	case fDayOfYear:
		return num(c.days - daysFromCivil(c.y, 1, 1) + 1)
	case fHour24:
		return num(c.hour)
	case fHour12:
		return num((c.hour+11)%12 + 1)
	case fMinute:
		return num(c.min)
	case fSecond:
		return num(c.sec)
	case fFrac:
		return appendFrac(dst, c.micro, t.width)
	case fAMPM:
		if c.hour < 12 {
			return append(dst, "AM"...)
		}
		return append(dst, "PM"...)
	case fDowAbbr:
		return append(dst, dayNames[sunday0(c.days)][:3]...)
	case fDowName:
		return append(dst, dayNames[sunday0(c.days)]...)
	case fDowSun0:
		return num(sunday0(c.days))
	case fDowISO:
		return num(isoDow(c.days))
	case fISOWeek:
		_, w := isoWeek(c.days)
		return num(w)
	case fZoneName:
		return append(dst, "UTC"...)
	case fZoneOff:
		return append(dst, "+00"...)
	}
	return dst
}

// appendFrac writes the first n digits of a microsecond fraction.
func appendFrac(dst []byte, micro int64, n int) []byte {
	digits := appendPadded(nil, micro, 6)
	for len(digits) < n {
		digits = append(digits, '0')
	}
	return append(dst, digits[:n]...)
}

func sunday0(days int64) int64 { return floorMod(days+4, 7) }
func isoDow(days int64) int64  { return floorMod(days+3, 7) + 1 }

// isoWeek returns the ISO-8601 year and week of a day.
func isoWeek(days int64) (int64, int64) {
	thursday := days - (isoDow(days) - 1) + 3
	y, _, _ := civil(thursday)
	return y, (thursday-daysFromCivil(y, 1, 1))/7 + 1
}
