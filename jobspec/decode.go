package jobspec

import (
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// value checks the references of expr and evaluates it; ok is false (and
// a diagnostic recorded) when that fails.
func (d *decoder) value(expr hcl.Expression) (cty.Value, bool) {
	if !d.checkRefs(expr) {
		return cty.NilVal, false
	}
	v, diags := expr.Value(d.ctx)
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() {
		return cty.NilVal, false
	}
	return v, true
}

// stringOf evaluates expr as a string (numbers and bools convert).
func (d *decoder) stringOf(expr hcl.Expression, what string) (string, bool) {
	v, ok := d.value(expr)
	if !ok {
		return "", false
	}
	s, err := convert.Convert(v, cty.String)
	if err != nil || s.IsNull() {
		d.errorf(expr.Range(), "%s must be a string", what)
		return "", false
	}
	return s.AsString(), true
}

// text reads the optional string attribute name.
func (d *decoder) text(attrs hcl.Attributes, name string) Text {
	t, _ := d.textOK(attrs, name)
	return t
}

// textOK is text that also says whether the attribute was given and
// evaluated, so follow-up checks do not pile onto an error already made.
func (d *decoder) textOK(attrs hcl.Attributes, name string) (Text, bool) {
	attr, ok := attrs[name]
	if !ok {
		return Text{}, false
	}
	s, ok := d.stringOf(attr.Expr, name)
	return Text{Value: s, Range: attr.Expr.Range()}, ok
}

// str reads the optional string attribute name as a plain string.
func (d *decoder) str(attrs hcl.Attributes, name string) string {
	return d.text(attrs, name).Value
}

// oneOf reads a string attribute that must be one of allowed (lower-cased;
// "" when absent).
func (d *decoder) oneOf(attrs hcl.Attributes, name string, allowed []string) string {
	t, ok := d.textOK(attrs, name)
	v := strings.ToLower(strings.TrimSpace(t.Value))
	if ok && !slices.Contains(allowed, v) {
		d.errorf(t.Range, "%s must be one of %s; got %q", name, strings.Join(allowed, ", "), t.Value)
	}
	return v
}

// texts reads a list-of-strings attribute, keeping each element's range
// when the list is written out literally.
func (d *decoder) texts(attrs hcl.Attributes, name string) []Text {
	attr, ok := attrs[name]
	if !ok {
		return nil
	}
	elems, diags := hcl.ExprList(attr.Expr)
	if diags.HasErrors() {
		// Not a literal list, e.g. a single string: accept it as a list of one.
		s, ok := d.stringOf(attr.Expr, name+" (a list of strings)")
		if !ok {
			return nil
		}
		return []Text{{Value: s, Range: attr.Expr.Range()}}
	}
	out := make([]Text, 0, len(elems))
	for _, e := range elems {
		if s, ok := d.stringOf(e, name+" items"); ok {
			out = append(out, Text{Value: s, Range: e.Range()})
		}
	}
	return out
}

// boolean reads an optional bool attribute (nil when absent).
func (d *decoder) boolean(attrs hcl.Attributes, name string) *bool {
	attr, ok := attrs[name]
	if !ok {
		return nil
	}
	v, ok := d.value(attr.Expr)
	if !ok {
		return nil
	}
	b, err := convert.Convert(v, cty.Bool)
	if err != nil || b.IsNull() {
		d.errorf(attr.Expr.Range(), "%s must be true or false", name)
		return nil
	}
	t := b.True()
	return &t
}

// duration reads an optional positive duration written as a Go duration
// string ("90s", "1h30m"); 0 when absent.
func (d *decoder) duration(attrs hcl.Attributes, name string) time.Duration {
	attr, ok := attrs[name]
	if !ok {
		return 0
	}
	s, ok := d.stringOf(attr.Expr, name)
	if !ok {
		return 0
	}
	v, err := time.ParseDuration(s)
	if err != nil || v <= 0 {
		d.errorf(attr.Expr.Range(), "%s must be a positive duration such as \"30m\" or \"1h30m\"; got %q", name, s)
		return 0
	}
	return v
}

// integer reads an optional whole-number attribute no smaller than min.
func (d *decoder) integer(attrs hcl.Attributes, name string, min int64) (int64, bool) {
	attr, ok := attrs[name]
	if !ok {
		return 0, false
	}
	v, ok := d.value(attr.Expr)
	if !ok {
		return 0, false
	}
	n, err := convert.Convert(v, cty.Number)
	if err != nil || n.IsNull() {
		d.errorf(attr.Expr.Range(), "%s must be a number", name)
		return 0, false
	}
	i, acc := n.AsBigFloat().Int64()
	if acc != big.Exact || i < min {
		d.errorf(attr.Expr.Range(), "%s must be a whole number of at least %d", name, min)
		return 0, false
	}
	return i, true
}

// count reads an optional positive int attribute (0 when absent).
func (d *decoder) count(attrs hcl.Attributes, name string) int {
	n, _ := d.integer(attrs, name, 1)
	return int(n)
}

// pair is one `key = "value"` entry of an object attribute.
type pair struct {
	Key, Value Text
}

// pairs reads an object attribute like schema or options in the order
// written (a cty object value would sort its keys; schema order matters).
func (d *decoder) pairs(attrs hcl.Attributes, name string) []pair {
	attr, ok := attrs[name]
	if !ok {
		return nil
	}
	kvs, diags := hcl.ExprMap(attr.Expr)
	if diags.HasErrors() {
		d.errorf(attr.Expr.Range(), "%s must be written as an object: { key = \"value\", ... }", name)
		return nil
	}
	out := make([]pair, 0, len(kvs))
	for _, kv := range kvs {
		k, okK := d.stringOf(kv.Key, name+" keys")
		v, okV := d.stringOf(kv.Value, name+" values")
		if okK && okV {
			out = append(out, pair{Text{k, kv.Key.Range()}, Text{v, kv.Value.Range()}})
		}
	}
	return out
}

// stringMap reads an object attribute into a map (nil when absent).
func (d *decoder) stringMap(attrs hcl.Attributes, name string) map[string]string {
	ps := d.pairs(attrs, name)
	if ps == nil {
		return nil
	}
	m := make(map[string]string, len(ps))
	for _, p := range ps {
		if _, dup := m[p.Key.Value]; dup {
			d.errorf(p.Key.Range, "%s: key %q given twice", name, p.Key.Value)
		}
		m[p.Key.Value] = p.Value.Value
	}
	return m
}
