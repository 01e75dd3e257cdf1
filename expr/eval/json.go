package eval

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// json_extract_string / get_json_object over JSON text in string
// columns. The path subset: $ then .key, ['key'] or [index] steps.
// Objects and arrays come back as compact JSON text in their original
// key order; strings unquoted; numbers and booleans as written; JSON
// null, a missing step or text that is not JSON give NULL (Spark).

func init() {
	builders[expr.FnJSONExtractStr] = rowBuilder("ss", strictLift, jsonMaker)
}

// jsonStep is one path step: a key, or an index when key is unset.
type jsonStep struct {
	key   string
	index int
	isKey bool
}

func jsonMaker(e *expr.Expr, args []node) (rowFn, error) {
	if p, ok := constArg(args, 1); ok && !p.Null {
		steps, err := parseJSONPath(p.S)
		if err != nil {
			return nil, err
		}
		return func(a []types.Value) (types.Value, error) { return jsonExtract(a[0].S, steps), nil }, nil
	}
	return func(a []types.Value) (types.Value, error) {
		steps, err := parseJSONPath(a[1].S)
		if err != nil {
			return types.Value{}, err
		}
		return jsonExtract(a[0].S, steps), nil
	}, nil
}

func parseJSONPath(p string) ([]jsonStep, error) {
	bad := func(why string) error {
		return fmt.Errorf("%w: JSON path %q: %s (supported: $, .key, ['key'], [index])", ErrInvalidArg, p, why)
	}
	s, ok := strings.CutPrefix(strings.TrimSpace(p), "$")
	if !ok {
		return nil, bad("must start with $")
	}
	var steps []jsonStep
	for s != "" {
		switch {
		case s[0] == '.':
			end := strings.IndexAny(s[1:], ".[")
			if end < 0 {
				end = len(s) - 1
			}
			key := s[1 : 1+end]
			if key == "" || key == "*" {
				return nil, bad("empty or wildcard key")
			}
			steps = append(steps, jsonStep{key: key, isKey: true})
			s = s[1+end:]
		case strings.HasPrefix(s, "['"):
			end := strings.Index(s, "']")
			if end < 0 {
				return nil, bad("unterminated ['key']")
			}
			steps = append(steps, jsonStep{key: s[2:end], isKey: true})
			s = s[end+2:]
		case s[0] == '[':
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return nil, bad("unterminated [index]")
			}
			i, err := strconv.Atoi(strings.TrimSpace(s[1:end]))
			if err != nil || i < 0 {
				return nil, bad("index must be a non-negative integer")
			}
			steps = append(steps, jsonStep{index: i})
			s = s[end+1:]
		default:
			return nil, bad("unexpected " + strconv.Quote(s[:1]))
		}
	}
	return steps, nil
}

func jsonExtract(doc string, steps []jsonStep) types.Value {
	cur := json.RawMessage(doc)
	if !json.Valid(cur) {
		return nullVal()
	}
	for _, st := range steps {
		next, ok := jsonStepInto(cur, st)
		if !ok {
			return nullVal()
		}
		cur = next
	}
	return jsonScalar(cur)
}

func jsonStepInto(cur json.RawMessage, st jsonStep) (json.RawMessage, bool) {
	if st.isKey {
		var obj map[string]json.RawMessage
		if json.Unmarshal(cur, &obj) != nil {
			return nil, false
		}
		v, ok := obj[st.key]
		return v, ok
	}
	var arr []json.RawMessage
	if json.Unmarshal(cur, &arr) != nil || st.index >= len(arr) {
		return nil, false
	}
	return arr[st.index], true
}

func jsonScalar(v json.RawMessage) types.Value {
	t := bytes.TrimSpace(v)
	switch {
	case len(t) == 0 || string(t) == "null":
		return nullVal()
	case t[0] == '"':
		var s string
		if json.Unmarshal(t, &s) != nil {
			return nullVal()
		}
		return strVal(s)
	case t[0] == '{' || t[0] == '[':
		var buf bytes.Buffer
		if json.Compact(&buf, t) != nil {
			return nullVal()
		}
		return strVal(buf.String())
	}
	return strVal(string(t))
}
