package eval

import (
	"strings"
)

// parseTime reads s with the tokens. Numbers take up to their width in
// digits (at least one; years up to 6), names match case-insensitively,
// literals exactly; the whole string must be consumed and the date must
// exist. Fields not in the format default to 1970-01-01 00:00:00.
func parseTime(toks []fmtToken, s string) (int64, bool) {
	p := timeParts{y: 1970, m: 1, d: 1, doy: -1}
	for _, t := range toks {
		var ok bool
		if s, ok = p.read(t, s); !ok {
			return 0, false
		}
	}
	if s != "" {
		return 0, false
	}
	return p.micros()
}

type timeParts struct {
	y                     int64
	m, d                  int
	doy                   int64
	hour, min, sec, micro int64
	pm, ampm              bool
}

func (p *timeParts) read(t fmtToken, s string) (string, bool) {
	switch t.kind {
	case fLit:
		return strings.CutPrefix(s, t.lit)
	case fMonthAbbr, fMonthName:
		i, rest, ok := readName(s, monthNames, t.kind == fMonthAbbr)
		p.m = i + 1
		return rest, ok
	case fDowAbbr, fDowName:
		_, rest, ok := readName(s, dayNames, t.kind == fDowAbbr)
		return rest, ok
	case fAMPM:
		if len(s) < 2 {
			return s, false
		}
		switch strings.ToUpper(s[:2]) {
		case "AM":
			p.ampm = true
		case "PM":
			p.ampm, p.pm = true, true
		default:
			return s, false
		}
		return s[2:], true
	case fZoneName:
		return cutFold(s, "UTC")
	case fZoneOff:
		return cutFold(s, "+00")
	case fFrac:
		return p.readFrac(t, s)
	}
	return p.readNumber(t, s)
}

func (p *timeParts) readFrac(t fmtToken, s string) (string, bool) {
	v, rest, ok := scanInt(s, 1, max(t.width, 9))
	if !ok {
		return s, false
	}
	for n := len(s) - len(rest); n < 6; n++ {
		v *= 10
	}
	for n := len(s) - len(rest); n > 6; n-- {
		v /= 10
	}
	p.micro = v
	return rest, true
}

func (p *timeParts) readNumber(t fmtToken, s string) (string, bool) {
	width := 2
	switch t.kind {
	case fYear:
		width = max(t.width, 4)
		if width == 4 {
			width = 6
		}
	case fDayOfYear:
		width = 3
	case fDowSun0, fDowISO:
		width = 1
	}
	neg := false
	if t.kind == fYear && strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	}
	v, rest, ok := scanInt(s, 1, width)
	if !ok {
		return s, false
	}
	switch t.kind {
	case fYear:
		p.y = v
		if neg {
			p.y = -v
		}
	case fYear2:
		p.y = 1900 + v
		if v < 69 {
			p.y = 2000 + v
		}
	case fMonth:
		p.m = int(v)
	case fDay:
		p.d = int(v)
	case fDayOfYear:
		p.doy = v
	case fHour24, fHour12:
		p.hour = v
	case fMinute:
		p.min = v
	case fSecond:
		p.sec = v
	}
	return rest, true
}

func (p *timeParts) micros() (int64, bool) {
	if p.ampm {
		if p.hour < 1 || p.hour > 12 {
			return 0, false
		}
		p.hour %= 12
		if p.pm {
			p.hour += 12
		}
	}
	if p.m < 1 || p.m > 12 || p.d < 1 || p.d > daysIn(p.y, p.m) || p.hour > 23 || p.min > 59 || p.sec > 59 {
		return 0, false
	}
	days := daysFromCivil(p.y, p.m, p.d)
	if p.doy >= 0 {
		if p.doy < 1 || p.doy > 366 {
			return 0, false
		}
		days = daysFromCivil(p.y, 1, 1) + p.doy - 1
	}
	return days*usPerDay + p.hour*usPerHour + p.min*usPerMinute + p.sec*usPerSecond + p.micro, true
}

// readName matches one of names (or its three-letter abbreviation).
func readName(s string, names []string, abbr bool) (int, string, bool) {
	for i, n := range names {
		if abbr {
			n = n[:3]
		}
		if rest, ok := cutFold(s, n); ok {
			return i, rest, true
		}
	}
	return 0, s, false
}

func cutFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}
