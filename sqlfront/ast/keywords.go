package ast

import "strings"

// reserved are the keywords that cannot be an unquoted identifier (a
// column, a table or an alias written without AS): a bare one ends the
// construct before it, so "FROM a FULL JOIN b" reads FULL as a join and
// never as an alias of a. A few (LEFT, RIGHT, IF, REPLACE) can still name
// functions when a parenthesis follows.
var reserved = map[string]bool{
	"all": true, "and": true, "any": true, "as": true, "asc": true, "between": true,
	"by": true, "case": true, "cross": true, "desc": true, "distinct": true,
	"else": true, "end": true, "escape": true, "except": true, "exists": true,
	"false": true, "fetch": true, "filter": true, "for": true, "from": true,
	"full": true, "group": true, "having": true, "ilike": true, "in": true,
	"inner": true, "intersect": true, "interval": true, "is": true, "join": true,
	"lateral": true, "left": true, "like": true, "limit": true, "natural": true,
	"not": true, "null": true, "offset": true, "on": true, "or": true,
	"order": true, "outer": true, "over": true, "qualify": true, "right": true,
	"select": true, "some": true, "then": true, "true": true, "union": true,
	"using": true, "values": true, "when": true, "where": true, "window": true,
	"with": true,
}

// IsReserved reports whether word (any case) is a reserved keyword.
func IsReserved(word string) bool { return reserved[strings.ToLower(word)] }

// QuoteIdent returns name as SQL: unchanged when it reads back as the
// same identifier, else double-quoted with embedded quotes doubled.
func QuoteIdent(name string) string {
	plain := name != "" && !IsReserved(name)
	for i := 0; i < len(name) && plain; i++ {
		c := name[i]
		plain = c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9'
	}
	if plain {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// QuoteString returns s as a SQL string literal.
func QuoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
