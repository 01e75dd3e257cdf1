package eval

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// String functions of the registry, row at a time (see rowfunc.go). All
// are strict and liftable unless noted.

var strictLift = strict | liftable

func init() {
	for name, b := range map[string]builder{
		expr.FnConcatWS:  buildConcatWS,
		expr.FnSplitPart: rowBuilder("ssi", strictLift, fixed1(splitPartRow)),
		expr.FnLPad:      rowBuilder("sis", strictLift, fixed1(padRow(true))),
		expr.FnRPad:      rowBuilder("sis", strictLift, fixed1(padRow(false))),
		expr.FnStrpos:    rowBuilder("ss", strictLift, fixed1(strposRow)),
		expr.FnLocate:    rowBuilder("ssi", strictLift, fixed1(locateRow)),
		expr.FnInitcap:   rowBuilder("s", strictLift, fixed1(strFn(initcap))),
		expr.FnTranslate: rowBuilder("s", strictLift, fixed1(translateRow)),
		expr.FnRepeat:    rowBuilder("si", strictLift, fixed1(repeatRow)),
		expr.FnReverse:   rowBuilder("s", strictLift, fixed1(strFn(reverse))),
		expr.FnLeft:      rowBuilder("si", strictLift, fixed1(leftRightRow(true))),
		expr.FnRight:     rowBuilder("si", strictLift, fixed1(leftRightRow(false))),
		expr.FnASCII:     rowBuilder("s", strictLift, fixed1(asciiRow)),
		expr.FnChr:       rowBuilder("i", strict, fixed1(chrRow)),
	} {
		builders[name] = b
	}
}

// strFn lifts a string → string function to a rowFn.
func strFn(f func(string) string) rowFn {
	return func(a []types.Value) (types.Value, error) { return strVal(f(a[0].S)), nil }
}

// buildConcatWS is not strict: NULL arguments after the separator are
// skipped, a NULL separator makes the result NULL. Not liftable either:
// lifting maps NULL rows of a dictionary to NULL results.
func buildConcatWS(c *compiler, e *expr.Expr, args []node) (node, error) {
	f := func(a []types.Value) (types.Value, error) {
		if a[0].Null {
			return nullVal(), nil
		}
		var sb strings.Builder
		first := true
		for _, v := range a[1:] {
			if v.Null {
				continue
			}
			if !first {
				sb.WriteString(a[0].S)
			}
			sb.WriteString(v.S)
			first = false
		}
		return strVal(sb.String()), nil
	}
	return rowBuilder("s", 0, fixed1(f))(c, e, args)
}

// splitPartRow: DuckDB's split_part. n is 1-based, negative counts from
// the end, out of range (and 0) gives ”. An empty delimiter splits into
// characters.
func splitPartRow(a []types.Value) (types.Value, error) {
	s, sep, n := a[0].S, a[1].S, a[2].I
	var parts []string
	if sep == "" {
		parts = strings.Split(s, "")
		if s == "" {
			parts = []string{""}
		}
	} else {
		parts = strings.Split(s, sep)
	}
	switch {
	case n > 0 && n <= int64(len(parts)):
		return strVal(parts[n-1]), nil
	case n < 0 && -n <= int64(len(parts)):
		return strVal(parts[int64(len(parts))+n]), nil
	}
	return strVal(""), nil
}

// padRow: lpad/rpad to n characters, truncating longer strings (both
// DuckDB and Spark keep the first n characters).
func padRow(left bool) rowFn {
	return func(a []types.Value) (types.Value, error) {
		s, n, pad := a[0].S, a[1].I, " "
		if len(a) > 2 {
			pad = a[2].S
		}
		if n <= 0 {
			return strVal(""), nil
		}
		runes := []rune(s)
		if int64(len(runes)) >= n {
			return strVal(string(runes[:n])), nil
		}
		if pad == "" {
			return types.Value{}, fmt.Errorf("%w: insufficient padding in %s: the pad string is empty", ErrInvalidArg, padName(left))
		}
		if n > maxStringResult {
			return types.Value{}, fmt.Errorf("%w: %s to %d characters is too long", ErrInvalidArg, padName(left), n)
		}
		p := []rune(pad)
		fill := make([]rune, 0, n-int64(len(runes)))
		for i := 0; int64(len(fill)) < n-int64(len(runes)); i++ {
			fill = append(fill, p[i%len(p)])
		}
		if left {
			return strVal(string(fill) + s), nil
		}
		return strVal(s + string(fill)), nil
	}
}

func padName(left bool) string {
	if left {
		return "lpad"
	}
	return "rpad"
}

// maxStringResult bounds repeat and pad results (1 GiB, DuckDB's string
// limit is 4 GiB; an Arrow string column holds 2 GiB in all).
const maxStringResult = 1 << 30

// runeIndex is the 1-based character position of byte offset i in s.
func runeIndex(s string, i int) int64 { return int64(utf8.RuneCountInString(s[:i])) + 1 }

func strposRow(a []types.Value) (types.Value, error) {
	i := strings.Index(a[0].S, a[1].S)
	if i < 0 {
		return i64Val(0), nil
	}
	return i64Val(runeIndex(a[0].S, i)), nil
}

// locateRow: Spark's locate(needle, s[, start]).
func locateRow(a []types.Value) (types.Value, error) {
	needle, s, start := a[0].S, a[1].S, int64(1)
	if len(a) > 2 {
		start = a[2].I
	}
	if start < 1 {
		return i64Val(0), nil
	}
	off := 0
	for k := int64(1); k < start; k++ {
		if off >= len(s) {
			return i64Val(0), nil
		}
		_, w := utf8.DecodeRuneInString(s[off:])
		off += w
	}
	i := strings.Index(s[off:], needle)
	if i < 0 {
		return i64Val(0), nil
	}
	return i64Val(runeIndex(s, off+i)), nil
}

// initcap: Spark upper-cases the first letter of each space-separated
// word and lower-cases the rest.
func initcap(s string) string {
	var sb strings.Builder
	start := true
	for _, r := range s {
		if r == ' ' {
			start = true
			sb.WriteRune(r)
			continue
		}
		if start {
			sb.WriteRune(unicode.ToUpper(r))
		} else {
			sb.WriteRune(unicode.ToLower(r))
		}
		start = false
	}
	return sb.String()
}

func translateRow(a []types.Value) (types.Value, error) {
	from, to := []rune(a[1].S), []rune(a[2].S)
	m := make(map[rune]rune, len(from))
	for i, r := range from {
		if _, seen := m[r]; seen {
			continue // the first mapping of a character wins
		}
		if i < len(to) {
			m[r] = to[i]
		} else {
			m[r] = -1
		}
	}
	return strVal(strings.Map(func(r rune) rune {
		if t, ok := m[r]; ok {
			return t
		}
		return r
	}, a[0].S)), nil
}

func repeatRow(a []types.Value) (types.Value, error) {
	n := a[1].I
	if n <= 0 || a[0].S == "" {
		return strVal(""), nil
	}
	if n > maxStringResult/int64(len(a[0].S)) {
		return types.Value{}, fmt.Errorf("%w: repeat of %d bytes %d times is too long", ErrInvalidArg, len(a[0].S), n)
	}
	return strVal(strings.Repeat(a[0].S, int(n))), nil
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// leftRightRow: DuckDB's left/right; a negative n drops characters from
// the other end.
func leftRightRow(left bool) rowFn {
	return func(a []types.Value) (types.Value, error) {
		r, n := []rune(a[0].S), a[1].I
		size := int64(len(r))
		k := n
		if n < 0 {
			k = max(size+n, 0)
		}
		k = min(k, size)
		if left {
			return strVal(string(r[:k])), nil
		}
		return strVal(string(r[size-k:])), nil
	}
}

func asciiRow(a []types.Value) (types.Value, error) {
	if a[0].S == "" {
		return types.Int32Value(0), nil
	}
	r, _ := utf8.DecodeRuneInString(a[0].S)
	return types.Int32Value(int32(r)), nil
}

func chrRow(a []types.Value) (types.Value, error) {
	n := a[0].I
	if n < 0 || n > unicode.MaxRune || !utf8.ValidRune(rune(n)) {
		return types.Value{}, fmt.Errorf("%w: chr(%d) is not a valid code point", ErrInvalidArg, n)
	}
	return strVal(string(rune(n))), nil
}
