package eval

import (
	"fmt"
	"math"
	"sync"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// Formatting and parsing with patterns (datefmt.go). A constant pattern
// compiles once; patterns from a column go through a small cache.

// sparkDefault is Spark's default timestamp pattern.
const sparkDefault = "yyyy-MM-dd HH:mm:ss"

func init() {
	builders[expr.FnStrftime] = rowBuilder("ts", strict, formatMaker(compileStrftime))
	builders[expr.FnDateFormat] = rowBuilder("ts", strict, formatMaker(compileSpark))
	builders[expr.FnFromUnixtime] = rowBuilder("is", strict, fromUnixtimeMaker)
	builders[expr.FnStrptime] = rowBuilder("ss", strict, parseMaker(compileStrftime, 1, parseStrict))
	builders[expr.FnToDate] = rowBuilder("ss", strict, parseMaker(compileSpark, -1, parseDateOrNull))
	builders[expr.FnToTimestamp] = buildToTimestamp
	builders[expr.FnUnixTimestamp] = buildUnixTimestamp
}

type patternCompiler func(string) ([]fmtToken, error)

// patterns resolves the pattern argument at index i: constant (compiled
// now) or per row through a cache.
type patterns struct {
	fixed   []fmtToken
	compile patternCompiler
	mu      sync.Mutex
	cache   map[string][]fmtToken
}

func newPatterns(args []node, i int, compile patternCompiler, def string) (*patterns, error) {
	p := &patterns{compile: compile, cache: map[string][]fmtToken{}}
	v, ok := constArg(args, i)
	switch {
	case i >= len(args):
		ok, v = true, types.StringValue(def)
	case ok && v.Null:
		ok = false
	}
	if ok {
		toks, err := compile(v.S)
		if err != nil {
			return nil, err
		}
		p.fixed = toks
	}
	return p, nil
}

func (p *patterns) get(a []types.Value, i int) ([]fmtToken, error) {
	if p.fixed != nil {
		return p.fixed, nil
	}
	s := a[i].S
	p.mu.Lock()
	defer p.mu.Unlock()
	if t, ok := p.cache[s]; ok {
		return t, nil
	}
	t, err := p.compile(s)
	if err != nil {
		return nil, err
	}
	if len(p.cache) >= 256 {
		clear(p.cache)
	}
	p.cache[s] = t
	return t, nil
}

func formatMaker(compile patternCompiler) rowMaker {
	return func(e *expr.Expr, args []node) (rowFn, error) {
		pats, err := newPatterns(args, 1, compile, "")
		if err != nil {
			return nil, err
		}
		return func(a []types.Value) (types.Value, error) {
			toks, err := pats.get(a, 1)
			if err != nil {
				return types.Value{}, err
			}
			return strVal(string(formatTime(nil, toks, asMicros(a[0])))), nil
		}, nil
	}
}

func fromUnixtimeMaker(e *expr.Expr, args []node) (rowFn, error) {
	pats, err := newPatterns(args, 1, compileSpark, sparkDefault)
	if err != nil {
		return nil, err
	}
	return func(a []types.Value) (types.Value, error) {
		toks, err := pats.get(a, 1)
		if err != nil {
			return types.Value{}, err
		}
		us, ok := mulInt64(a[0].I, usPerSecond)
		if !ok {
			return types.Value{}, overflowError("from_unixtime", types.TimestampType, fmt.Sprintf("%d seconds", a[0].I))
		}
		return strVal(string(formatTime(nil, toks, us))), nil
	}, nil
}

// parseMode says what a string that does not parse gives.
type parseMode uint8

const (
	parseStrict     parseMode = iota // an error (strptime)
	parseDateOrNull                  // NULL, result a date (to_date)
	parseTSOrNull                    // NULL, result a timestamp
)

// parseMaker parses a[0] with the pattern at index pat; pat < 0 means an
// optional pattern at index 1, and without one the ISO forms the casts
// accept.
func parseMaker(compile patternCompiler, pat int, mode parseMode) rowMaker {
	return func(e *expr.Expr, args []node) (rowFn, error) {
		if pat < 0 && len(args) < 2 {
			return isoParse(mode), nil
		}
		idx := max(pat, 1)
		pats, err := newPatterns(args, idx, compile, "")
		if err != nil {
			return nil, err
		}
		return func(a []types.Value) (types.Value, error) {
			toks, err := pats.get(a, idx)
			if err != nil {
				return types.Value{}, err
			}
			us, ok := parseTime(toks, a[0].S)
			return parsed(mode, us, ok, a[0].S, a[idx].S)
		}, nil
	}
}

func isoParse(mode parseMode) rowFn {
	return func(a []types.Value) (types.Value, error) {
		if mode == parseDateOrNull {
			d, ok := parseDate(a[0].S)
			return parsed(mode, d*usPerDay, ok, a[0].S, "")
		}
		us, ok := parseTimestamp(a[0].S)
		return parsed(mode, us, ok, a[0].S, "")
	}
}

func parsed(mode parseMode, us int64, ok bool, s, pattern string) (types.Value, error) {
	switch {
	case !ok && mode == parseStrict:
		return types.Value{}, fmt.Errorf("%w: %q does not match the format %q", ErrInvalidArg, s, pattern)
	case !ok:
		return nullVal(), nil
	case mode == parseDateOrNull:
		d := floorDiv(us, usPerDay)
		if d < math.MinInt32 || d > math.MaxInt32 {
			return nullVal(), nil
		}
		return types.DateValue(int32(d)), nil
	}
	return types.TimestampValue(us), nil
}

// buildToTimestamp: a float64 is epoch seconds (DuckDB), a string parses
// (Spark: NULL when it does not).
func buildToTimestamp(c *compiler, e *expr.Expr, args []node) (node, error) {
	if len(e.Args) == 1 && e.Args[0].Type.ID == types.Float64 {
		return rowBuilder("f", strict, fixed1(epochSecondsRow))(c, e, args)
	}
	return rowBuilder("ss", strict, parseMaker(compileSpark, -1, parseTSOrNull))(c, e, args)
}

func epochSecondsRow(a []types.Value) (types.Value, error) {
	us := math.Round(a[0].F * float64(usPerSecond))
	if math.IsNaN(us) || us < math.MinInt64 || us >= math.MaxInt64 {
		return types.Value{}, overflowError("to_timestamp", types.TimestampType, fmt.Sprintf("%v seconds", a[0].F))
	}
	return types.TimestampValue(int64(us)), nil
}

// buildUnixTimestamp: a timestamp converts (floor to seconds); a string
// parses with the pattern (default yyyy-MM-dd HH:mm:ss), NULL when it
// does not.
func buildUnixTimestamp(c *compiler, e *expr.Expr, args []node) (node, error) {
	if len(e.Args) == 1 && e.Args[0].Type.ID == types.Timestamp {
		return rowBuilder("p", strict, fixed1(func(a []types.Value) (types.Value, error) {
			return i64Val(floorDiv(a[0].I, usPerSecond)), nil
		}))(c, e, args)
	}
	mk := func(e *expr.Expr, args []node) (rowFn, error) {
		pats, err := newPatterns(args, 1, compileSpark, sparkDefault)
		if err != nil {
			return nil, err
		}
		return func(a []types.Value) (types.Value, error) {
			toks, err := pats.get(a, 1)
			if err != nil {
				return types.Value{}, err
			}
			us, ok := parseTime(toks, a[0].S)
			if !ok {
				return nullVal(), nil
			}
			return i64Val(floorDiv(us, usPerSecond)), nil
		}, nil
	}
	return rowBuilder("ss", strict, mk)(c, e, args)
}
