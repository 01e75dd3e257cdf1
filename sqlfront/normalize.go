package sqlfront

import (
	"strings"
)

// normalize rewrites the SQL forms the TiDB parser rejects into function
// calls it accepts, mapped back in convert:
//
//	CAST(x AS BIGINT)   →  drover_cast(x, 'BIGINT')   (types.Parse reads every type name)
//	date_add(d, n)      →  drover_date_add(d, n)      (TiDB wants INTERVAL n DAY)
//	date_sub(d, n)      →  drover_date_sub(d, n)
//
// The scan skips string literals, quoted identifiers and comments, and
// handles nesting (CAST(CAST(x AS INT) AS STRING)). Text it cannot make
// sense of is left alone for the parser to report.
func normalize(sql string) string {
	var sb strings.Builder
	for i := 0; i < len(sql); {
		if j := skipOpaque(sql, i); j > i {
			sb.WriteString(sql[i:j])
			i = j
			continue
		}
		if !isIdentByte(sql[i]) {
			sb.WriteByte(sql[i])
			i++
			continue
		}
		j := i
		for j < len(sql) && isIdentByte(sql[j]) {
			j++
		}
		word := sql[i:j]
		if rewritten, end, ok := rewriteCall(sql, i, j); ok {
			sb.WriteString(rewritten)
			i = end
			continue
		}
		sb.WriteString(word)
		i = j
	}
	return sb.String()
}

// rewriteCall rewrites the call whose name spans sql[start:end] if it is
// one of the forms normalize handles; next is where scanning resumes.
func rewriteCall(sql string, start, end int) (out string, next int, ok bool) {
	name := strings.ToLower(sql[start:end])
	if name != "cast" && name != "date_add" && name != "date_sub" {
		return "", 0, false
	}
	if start > 0 && (sql[start-1] == '.' || isIdentByte(sql[start-1])) {
		return "", 0, false // a qualified name like t.cast, not a call
	}
	open := end
	for open < len(sql) && isSpace(sql[open]) {
		open++
	}
	if open >= len(sql) || sql[open] != '(' {
		return "", 0, false
	}
	closing := matchParen(sql, open)
	if closing < 0 {
		return "", 0, false
	}
	inner := sql[open+1 : closing]
	if name == "cast" {
		out, ok = rewriteCast(inner)
	} else {
		out, ok = rewriteDateAdd(name, inner)
	}
	return out, closing + 1, ok
}

func rewriteCast(inner string) (string, bool) {
	as := lastTopLevelWord(inner, "as")
	if as < 0 {
		return "", false
	}
	typ := strings.TrimSpace(inner[as+2:])
	if typ == "" || strings.ContainsAny(typ, "'\"`") {
		return "", false
	}
	return "drover_cast(" + normalize(inner[:as]) + ", '" + typ + "')", true
}

// rewriteDateAdd handles the two-argument day form only; the INTERVAL
// form is native TiDB syntax.
func rewriteDateAdd(name, inner string) (string, bool) {
	args := splitTopLevel(inner)
	if len(args) != 2 {
		return "", false
	}
	second := strings.ToLower(strings.TrimSpace(args[1]))
	if strings.HasPrefix(second, "interval") && (len(second) == 8 || !isIdentByte(second[8])) {
		return "", false
	}
	return "drover_" + name + "(" + normalize(args[0]) + "," + normalize(args[1]) + ")", true
}

// skipOpaque returns the end of a string literal, quoted identifier or
// comment starting at i, or i when none starts there.
func skipOpaque(s string, i int) int {
	switch {
	case s[i] == '\'' || s[i] == '"' || s[i] == '`':
		return skipQuoted(s, i)
	case strings.HasPrefix(s[i:], "--"), s[i] == '#':
		if nl := strings.IndexByte(s[i:], '\n'); nl >= 0 {
			return i + nl + 1
		}
		return len(s)
	case strings.HasPrefix(s[i:], "/*"):
		if end := strings.Index(s[i+2:], "*/"); end >= 0 {
			return i + 2 + end + 2
		}
		return len(s)
	}
	return i
}

// skipQuoted returns the index after the quoted section opening at i.
// A doubled quote stays inside; backslash escapes apply in strings.
func skipQuoted(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch {
		case s[j] == '\\' && q == '\'':
			j++
		case s[j] == q && j+1 < len(s) && s[j+1] == q:
			j++
		case s[j] == q:
			return j + 1
		}
	}
	return len(s)
}

// matchParen returns the index of the ')' closing the '(' at open, or -1.
func matchParen(s string, open int) int {
	depth := 0
	for i := open; i < len(s); {
		if j := skipOpaque(s, i); j > i {
			i = j
			continue
		}
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
		i++
	}
	return -1
}

// walkTopLevel calls fn for each byte index of s outside quotes, comments
// and parentheses.
func walkTopLevel(s string, fn func(i int)) {
	depth := 0
	for i := 0; i < len(s); {
		if j := skipOpaque(s, i); j > i {
			i = j
			continue
		}
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
		default:
			if depth == 0 {
				fn(i)
			}
		}
		i++
	}
}

// lastTopLevelWord finds the last top-level occurrence of keyword word.
func lastTopLevelWord(s, word string) int {
	found := -1
	walkTopLevel(s, func(i int) {
		end := i + len(word)
		if end > len(s) || !strings.EqualFold(s[i:end], word) {
			return
		}
		if (i == 0 || !isIdentByte(s[i-1])) && (end == len(s) || !isIdentByte(s[end])) {
			found = i
		}
	})
	return found
}

// splitTopLevel splits s at top-level commas.
func splitTopLevel(s string) []string {
	var parts []string
	last := 0
	walkTopLevel(s, func(i int) {
		if s[i] == ',' {
			parts = append(parts, s[last:i])
			last = i + 1
		}
	})
	return append(parts, s[last:])
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
