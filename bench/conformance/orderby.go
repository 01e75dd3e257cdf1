package conformance

import (
	"strconv"
	"strings"
	"unicode"
)

// ordering is what a query text says about the order of its result.
type ordering struct {
	// keys are the top-level ORDER BY expressions, without ASC/DESC and
	// NULLS FIRST/LAST; nil when the result is unordered.
	keys []string
	// limit: the query ends in LIMIT/FETCH, so a cut inside a tie of the
	// sort keys may keep different rows in different engines.
	limit bool
	// limitN is the LIMIT's row count (-1: not a literal).
	limitN int64
	// offset: the query skips rows with OFFSET, which may cut the first
	// tie group just as LIMIT cuts the last.
	offset bool
	// items are the expressions of the outermost select list (its first
	// branch, which names a set operation's columns), aliases removed;
	// nil when the list has a *.
	items []string
}

// token is one lexical unit of SQL text with its parenthesis depth.
type token struct {
	text  string // words upper-cased; strings and quoted names verbatim
	word  bool
	depth int
	pos   int // byte offset of the token in the text
	end   int
}

// tokenize splits SQL into words, punctuation, string literals and quoted
// identifiers, dropping comments and whitespace. It understands just
// enough SQL to find top-level clauses.
func tokenize(sql string) []token {
	var toks []token
	depth := 0
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case c == '-' && strings.HasPrefix(sql[i:], "--"):
			j := strings.IndexByte(sql[i:], '\n')
			if j < 0 {
				return toks
			}
			i += j + 1
		case c == '/' && strings.HasPrefix(sql[i:], "/*"):
			j := strings.Index(sql[i+2:], "*/")
			if j < 0 {
				return toks
			}
			i += j + 4
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(sql) {
				if sql[j] == c {
					if j+1 < len(sql) && sql[j+1] == c {
						j += 2
						continue
					}
					break
				}
				j++
			}
			j = min(j+1, len(sql))
			toks = append(toks, token{text: sql[i:j], depth: depth, pos: i, end: j})
			i = j
		case c == '(':
			toks = append(toks, token{text: "(", depth: depth, pos: i, end: i + 1})
			depth++
			i++
		case c == ')':
			depth--
			toks = append(toks, token{text: ")", depth: depth, pos: i, end: i + 1})
			i++
		case unicode.IsSpace(rune(c)):
			i++
		case isWordByte(c):
			j := i
			for j < len(sql) && (isWordByte(sql[j]) || sql[j] == '.') {
				j++
			}
			toks = append(toks, token{text: strings.ToUpper(sql[i:j]), word: true, depth: depth, pos: i, end: j})
			i = j
		default:
			toks = append(toks, token{text: string(c), depth: depth, pos: i, end: i + 1})
			i++
		}
	}
	return toks
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// parseOrdering finds the outermost ORDER BY of a query (the last one at
// parenthesis depth 0: ORDER BYs of CTEs, subqueries and window
// specifications are nested) and whether a LIMIT follows it.
func parseOrdering(sql string) ordering {
	toks := tokenize(sql)
	start := -1
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].depth == 0 && toks[i].word && toks[i].text == "ORDER" && toks[i+1].word && toks[i+1].text == "BY" {
			start = i + 2
		}
	}
	o := ordering{limitN: -1}
	from := 0
	if start >= 0 {
		from = start
	}
	for i, t := range toks[from:] {
		if t.depth == 0 && t.word && (t.text == "LIMIT" || t.text == "FETCH") {
			o.limit, o.limitN = true, -1
			if j := from + i + 1; t.text == "LIMIT" && j < len(toks) {
				if n, err := strconv.ParseInt(toks[j].text, 10, 64); err == nil {
					o.limitN = n
				}
			}
		}
		if t.depth == 0 && t.word && t.text == "OFFSET" {
			o.offset = true
		}
		if t.depth == 0 && t.word && (t.text == "SELECT" || t.text == "UNION" || t.text == "INTERSECT" || t.text == "EXCEPT") {
			// An ORDER BY followed by more query belongs to a branch.
			start, o.limit, o.limitN, o.offset = -1, false, -1, false
		}
	}
	o.items = selectItems(sql, toks)
	if start < 0 {
		return o
	}
	var keys []string
	var cur []token
	flush := func() {
		if k := keyText(sql, cur); k != "" {
			keys = append(keys, k)
		}
		cur = nil
	}
	for _, t := range toks[start:] {
		if t.depth == 0 && (t.word && (t.text == "LIMIT" || t.text == "OFFSET" || t.text == "FETCH") || t.text == ";") {
			break
		}
		if t.depth == 0 && t.text == "," {
			flush()
			continue
		}
		cur = append(cur, t)
	}
	flush()
	o.keys = keys
	return o
}

// keyText is the source text of one sort key without its direction and
// null ordering.
func keyText(sql string, toks []token) string {
	for len(toks) > 0 {
		last := toks[len(toks)-1]
		if !last.word {
			break
		}
		switch last.text {
		case "ASC", "DESC", "FIRST", "LAST", "NULLS":
			toks = toks[:len(toks)-1]
			continue
		}
		break
	}
	if len(toks) == 0 {
		return ""
	}
	return sql[toks[0].pos:toks[len(toks)-1].end]
}

// normName is an expression or column name compared case-insensitively,
// without whitespace and double quotes.
func normName(s string) string {
	var sb strings.Builder
	for _, r := range s {
		if !unicode.IsSpace(r) && r != '"' {
			sb.WriteRune(unicode.ToLower(r))
		}
	}
	return sb.String()
}

// keyColumns maps sort keys to result columns: a position, an output name
// (alias; DuckDB names an unaliased expression by its text), the
// expression of a select item (ORDER BY i_brand_id with i_brand_id AS
// brand_id in the list), or a qualified column whose last part is an
// output name. It returns the columns of the longest mapped
// prefix of keys and whether every key mapped.
func keyColumns(keys, columns, items []string) ([]int, bool) {
	names := map[string][]int{}
	for i, c := range columns {
		n := normName(c)
		names[n] = append(names[n], i)
	}
	exprs := map[string][]int{}
	if len(items) == len(columns) {
		for i, e := range items {
			n := normName(e)
			exprs[n] = append(exprs[n], i)
		}
	}
	var idx []int
	for _, k := range keys {
		j, ok := keyColumn(k, names, exprs, len(columns))
		if !ok {
			return idx, false
		}
		idx = append(idx, j)
	}
	return idx, true
}

func keyColumn(k string, names, exprs map[string][]int, n int) (int, bool) {
	if p, err := strconv.Atoi(strings.TrimSpace(k)); err == nil {
		return p - 1, p >= 1 && p <= n
	}
	nk := normName(k)
	if m := names[nk]; len(m) == 1 {
		return m[0], true
	}
	if m := exprs[nk]; len(m) == 1 {
		return m[0], true
	}
	if i := strings.LastIndexByte(nk, '.'); i >= 0 && isIdent(nk) {
		if m := names[nk[i+1:]]; len(m) == 1 {
			return m[0], true
		}
	}
	return 0, false
}

func isIdent(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isWordByte(s[i]) && s[i] != '.' {
			return false
		}
	}
	return s != ""
}

// selectItems returns the expressions of the first top-level select list
// without their aliases, or nil when it has a * (its width is unknown).
func selectItems(sql string, toks []token) []string {
	start := -1
	for i, t := range toks {
		if t.depth == 0 && t.word && t.text == "SELECT" {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return nil
	}
	for start < len(toks) && toks[start].word && (toks[start].text == "DISTINCT" || toks[start].text == "ALL") {
		start++
	}
	var items []string
	var cur []token
	flush := func() bool {
		e := itemExpr(sql, cur)
		cur = nil
		if e == "" || e == "*" || strings.HasSuffix(e, ".*") {
			return false
		}
		items = append(items, e)
		return true
	}
	for _, t := range toks[start:] {
		if t.depth == 0 && t.word && (t.text == "FROM" || t.text == "WHERE" || t.text == "GROUP" || t.text == "ORDER" ||
			t.text == "LIMIT" || t.text == "UNION" || t.text == "INTERSECT" || t.text == "EXCEPT" || t.text == "HAVING") || t.text == ";" {
			break
		}
		if t.depth == 0 && t.text == "," {
			if !flush() {
				return nil
			}
			continue
		}
		cur = append(cur, t)
	}
	if !flush() {
		return nil
	}
	return items
}

// itemExpr is a select item's expression text without its alias: a
// trailing identifier after AS, or after another token that ends an
// expression (a name, literal or closing parenthesis).
func itemExpr(sql string, toks []token) string {
	n := len(toks)
	if last := toks[max(n-1, 0)]; n >= 2 && (last.word && !reserved[last.text] || strings.HasPrefix(last.text, `"`)) {
		switch prev := toks[n-2]; {
		case prev.word && prev.text == "AS":
			toks = toks[:n-2]
		case prev.word && !reserved[prev.text] || prev.text == ")" || strings.HasPrefix(prev.text, "'"):
			toks = toks[:n-1]
		}
	}
	if len(toks) == 0 {
		return ""
	}
	return sql[toks[0].pos:toks[len(toks)-1].end]
}

// reserved are words that end or continue an expression, never an alias.
var reserved = map[string]bool{"END": true, "AND": true, "OR": true, "NOT": true, "NULL": true, "IS": true,
	"THEN": true, "ELSE": true, "WHEN": true, "CASE": true, "AS": true, "IN": true, "LIKE": true, "BETWEEN": true,
	"TRUE": true, "FALSE": true, "DISTINCT": true}

// keyExprs are the sort keys as expressions over a result with the given
// columns, for DuckDB to evaluate: a position becomes the quoted name of
// its column, any other key is used as written (it can only name output
// columns, so a key over the query's inputs fails to bind and the caller
// falls back to keyColumns).
func keyExprs(keys, columns []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k
		if p, err := strconv.Atoi(strings.TrimSpace(k)); err == nil && p >= 1 && p <= len(columns) {
			out[i] = `"` + strings.ReplaceAll(columns[p-1], `"`, `""`) + `"`
		}
	}
	return out
}
