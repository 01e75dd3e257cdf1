package jobspec

import (
	"errors"
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

var variableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "default"}, {Name: "description"}, {Name: "type"},
	},
}

// variables evaluates the variable blocks, applies the --var overrides and
// sets up the evaluation context that makes ${var.x} work everywhere. It
// returns every variable's value as a string.
func (d *decoder) variables(blocks hcl.Blocks, overrides map[string]string, filename string) (map[string]string, error) {
	values := map[string]cty.Value{}
	var missing []*hcl.Block
	for _, b := range blocks {
		name := b.Labels[0]
		if _, dup := values[name]; dup {
			d.errorf(b.DefRange, "variable %q is declared twice", name)
			continue
		}
		d.names = append(d.names, name)
		values[name] = cty.NullVal(cty.String)
		c := d.content(b, variableSchema)
		if attr, ok := c.Attributes["default"]; ok {
			values[name] = d.defaultValue(name, attr)
		} else {
			missing = append(missing, b)
		}
	}
	overrideErr := d.applyOverrides(values, overrides, filename)
	for _, b := range missing {
		if _, ok := overrides[b.Labels[0]]; !ok {
			d.errorf(b.DefRange, "variable %q has no default; pass --var %s=VALUE", b.Labels[0], b.Labels[0])
		}
	}
	if err := errors.Join(overrideErr, diagErrors(d.diags)); err != nil {
		return nil, err
	}
	d.ctx = &hcl.EvalContext{Variables: map[string]cty.Value{"var": cty.ObjectVal(values)}}
	return stringValues(values), nil
}

// defaultValue evaluates a default; defaults are constants (they cannot
// refer to other variables) of a primitive type.
func (d *decoder) defaultValue(name string, attr *hcl.Attribute) cty.Value {
	v, diags := attr.Expr.Value(nil)
	if diags.HasErrors() {
		d.errorf(attr.Expr.Range(), "variable %q: the default must be a constant string, number or bool", name)
		return cty.NullVal(cty.String)
	}
	if !v.Type().IsPrimitiveType() {
		d.errorf(attr.Expr.Range(), "variable %q: the default must be a string, number or bool, not %s", name, v.Type().FriendlyName())
		return cty.NullVal(cty.String)
	}
	return v
}

func (d *decoder) applyOverrides(values map[string]cty.Value, overrides map[string]string, filename string) error {
	keys := make([]string, 0, len(overrides))
	for k := range overrides {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var errs []error
	for _, k := range keys {
		if _, ok := values[k]; !ok {
			errs = append(errs, &flagError{fmt.Sprintf("--var %s: %s declares no variable %q%s",
				k, filename, k, didYouMean(k, d.names))})
			continue
		}
		values[k] = cty.StringVal(overrides[k])
	}
	return errors.Join(errs...)
}

func stringValues(values map[string]cty.Value) map[string]string {
	out := make(map[string]string, len(values))
	for k, v := range values {
		if s, err := convert.Convert(v, cty.String); err == nil && !s.IsNull() {
			out[k] = s.AsString()
		}
	}
	return out
}

// checkRefs reports references other than var.<declared name>, with a
// suggestion, before HCL's own less specific evaluation error.
func (d *decoder) checkRefs(expr hcl.Expression) bool {
	ok := true
	for _, tr := range expr.Variables() {
		if tr.RootName() != "var" {
			d.errorf(tr.SourceRange(), "unknown name %q; only variables (var.NAME) can be referenced", tr.RootName())
			ok = false
			continue
		}
		attr, isAttr := attrStep(tr)
		if !isAttr {
			d.errorf(tr.SourceRange(), "refer to a variable as var.NAME")
			ok = false
			continue
		}
		if !d.declared(attr.Name) {
			d.errorf(tr.SourceRange(), "unknown variable %q%s", attr.Name, didYouMean(attr.Name, d.names))
			ok = false
		}
	}
	return ok
}

func attrStep(tr hcl.Traversal) (hcl.TraverseAttr, bool) {
	if len(tr) < 2 {
		return hcl.TraverseAttr{}, false
	}
	a, ok := tr[1].(hcl.TraverseAttr)
	return a, ok
}

func (d *decoder) declared(name string) bool {
	for _, n := range d.names {
		if n == name {
			return true
		}
	}
	return false
}
