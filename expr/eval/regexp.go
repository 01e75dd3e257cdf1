package eval

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// Regular expressions use Go's regexp, RE2 syntax like DuckDB's. A
// constant pattern compiles once per Compile; patterns from a column go
// through a small cache shared by the evaluator's goroutines.

func init() {
	builders[expr.FnRegexpLike] = rowBuilder("ss", strictLift, regexpMaker(regexpLikeRow))
	builders[expr.FnRegexpExtract] = rowBuilder("ssi", strictLift, regexpMaker(regexpExtractRow))
	builders[expr.FnRegexpReplace] = rowBuilder("ssss", strictLift, regexpMaker(regexpReplaceRow))
}

type regexpRow func(re *regexp.Regexp, a []types.Value) (types.Value, error)

func regexpMaker(f regexpRow) rowMaker {
	return func(e *expr.Expr, args []node) (rowFn, error) {
		if p, ok := constArg(args, 1); ok && !p.Null {
			re, err := compileRegexp(p.S)
			if err != nil {
				return nil, err
			}
			return func(a []types.Value) (types.Value, error) { return f(re, a) }, nil
		}
		cache := &regexpCache{m: map[string]*regexp.Regexp{}}
		return func(a []types.Value) (types.Value, error) {
			re, err := cache.get(a[1].S)
			if err != nil {
				return types.Value{}, err
			}
			return f(re, a)
		}, nil
	}
}

func compileRegexp(p string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, fmt.Errorf("%w: bad regular expression %q: %v", ErrInvalidArg, p, err)
	}
	return re, nil
}

// regexpCache keeps up to 256 compiled patterns, then starts over.
type regexpCache struct {
	mu sync.Mutex
	m  map[string]*regexp.Regexp
}

func (c *regexpCache) get(p string) (*regexp.Regexp, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if re, ok := c.m[p]; ok {
		return re, nil
	}
	re, err := compileRegexp(p)
	if err != nil {
		return nil, err
	}
	if len(c.m) >= 256 {
		clear(c.m)
	}
	c.m[p] = re
	return re, nil
}

func regexpLikeRow(re *regexp.Regexp, a []types.Value) (types.Value, error) {
	return types.BoolValue(re.MatchString(a[0].S)), nil
}

// regexpExtractRow: group 0 by default (DuckDB); ” when nothing matches.
func regexpExtractRow(re *regexp.Regexp, a []types.Value) (types.Value, error) {
	g := int64(0)
	if len(a) > 2 {
		g = a[2].I
	}
	if g < 0 || g > int64(re.NumSubexp()) {
		return types.Value{}, fmt.Errorf("%w: regexp_extract group %d, the pattern %q has %d", ErrInvalidArg, g, re.String(), re.NumSubexp())
	}
	m := re.FindStringSubmatchIndex(a[0].S)
	if m == nil || m[2*g] < 0 {
		return strVal(""), nil
	}
	return strVal(a[0].S[m[2*g]:m[2*g+1]]), nil
}

// regexpReplaceRow: the first match, or all with option 'g' (DuckDB).
// In the replacement \0 ... \9 are groups and \\ is a backslash.
func regexpReplaceRow(re *regexp.Regexp, a []types.Value) (types.Value, error) {
	global := len(a) > 3 && strings.Contains(a[3].S, "g")
	tmpl := rewriteTemplate(a[2].S)
	s := a[0].S
	if global {
		return strVal(re.ReplaceAllString(s, tmpl)), nil
	}
	m := re.FindStringSubmatchIndex(s)
	if m == nil {
		return strVal(s), nil
	}
	out := re.ExpandString(nil, tmpl, s, m)
	return strVal(s[:m[0]] + string(out) + s[m[1]:]), nil
}

// rewriteTemplate turns an RE2 rewrite string (\1) into a Go template
// (${1}), escaping Go's $.
func rewriteTemplate(r string) string {
	var sb strings.Builder
	for i := 0; i < len(r); i++ {
		switch c := r[i]; {
		case c == '$':
			sb.WriteString("$$")
		case c == '\\' && i+1 < len(r) && r[i+1] >= '0' && r[i+1] <= '9':
			sb.WriteString("${" + string(r[i+1]) + "}")
			i++
		case c == '\\' && i+1 < len(r) && r[i+1] == '\\':
			sb.WriteByte('\\')
			i++
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}
