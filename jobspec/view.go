package jobspec

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/drover-etl/drover/plan/logical"
)

var viewSchema = &hcl.BodySchema{
	Attributes: append([]hcl.AttributeSchema{
		{Name: "from"}, {Name: "where"}, {Name: "select"}, {Name: "group_by"},
		{Name: "aggregate"}, {Name: "having"}, {Name: "order_by"}, {Name: "limit"},
		{Name: "sql"}, {Name: "transform"}, {Name: "args"},
	}, layoutAttributes...),
	Blocks: []hcl.BlockHeaderSchema{{Type: "join", LabelNames: []string{"relation"}}},
}

func (d *decoder) view(b *hcl.Block) *View {
	c := d.content(b, viewSchema)
	a := c.Attributes
	v := &View{Name: b.Labels[0], Range: b.DefRange}
	v.From = d.text(a, "from")
	v.Where = d.text(a, "where")
	v.Select = d.texts(a, "select")
	v.GroupBy = d.texts(a, "group_by")
	v.Aggregate = d.texts(a, "aggregate")
	v.Having = d.text(a, "having")
	v.OrderBy = d.texts(a, "order_by")
	if n, ok := d.integer(a, "limit", 0); ok {
		v.Limit = &n
	}
	v.SQL = d.text(a, "sql")
	v.Transform = d.text(a, "transform")
	v.Transform.Value = strings.ToLower(strings.TrimSpace(v.Transform.Value))
	v.Args = d.stringMap(a, "args")
	for _, blk := range c.Blocks {
		v.Joins = append(v.Joins, d.join(blk))
	}
	v.Layout = d.layout(a, fmt.Sprintf("view %q", v.Name))
	if v.Layout.Shuffles() && len(v.OrderBy) > 0 {
		d.errorf(v.Layout.Range, "view %q: repartition would lose the order of order_by (coalesce keeps it)", v.Name)
	}
	d.checkViewShape(v, a)
	return v
}

// checkViewShape enforces "structured or sql, not both" and the clauses
// that only make sense together.
func (d *decoder) checkViewShape(v *View, attrs hcl.Attributes) {
	var structured []string
	for _, name := range []string{"from", "where", "select", "group_by", "aggregate", "having", "order_by", "limit"} {
		if _, ok := attrs[name]; ok {
			structured = append(structured, name)
		}
	}
	if len(v.Joins) > 0 {
		structured = append(structured, "join")
	}
	if v.Transform.IsSet() || attrs["args"] != nil {
		d.checkTransformShape(v, structured, attrs)
		return
	}
	switch {
	case v.IsSQL() && len(structured) > 0:
		d.errorf(v.SQL.Range, "view %q: a view is either structured or sql, not both (remove %s or sql)",
			v.Name, strings.Join(structured, ", "))
	case !v.IsSQL() && !v.From.IsSet():
		d.errorf(v.Range, "view %q needs from (a structured view) or sql", v.Name)
	case v.Having.IsSet() && len(v.GroupBy) == 0 && len(v.Aggregate) == 0:
		d.errorf(v.Having.Range, "view %q: having needs group_by or aggregate", v.Name)
	}
}

// checkTransformShape: a transform view is from, transform and args
// only. Mixing in where or select would raise the question of whether
// they apply before or after the plugin; a view above or below answers it.
func (d *decoder) checkTransformShape(v *View, structured []string, attrs hcl.Attributes) {
	var extra []string
	for _, name := range structured {
		if name != "from" {
			extra = append(extra, name)
		}
	}
	switch {
	case !v.Transform.IsSet():
		d.errorf(attrs["args"].Range, "view %q: args without transform", v.Name)
	case v.IsSQL():
		d.errorf(v.SQL.Range, "view %q: a view is either a transform or sql, not both", v.Name)
	case !v.From.IsSet():
		d.errorf(v.Range, "view %q: a transform needs from (the view or source it reads)", v.Name)
	case len(extra) > 0:
		d.errorf(v.Transform.Range, "view %q: a transform view takes from, transform and args only (move %s into a view before or after it)",
			v.Name, strings.Join(extra, ", "))
	case !strings.Contains(v.Transform.Value, "."):
		d.errorf(v.Transform.Range, "view %q: transform %q: want plugin.function, as in textkit.score", v.Name, v.Transform.Value)
	}
}

var joinSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "type"}, {Name: "on", Required: true}, {Name: "as"}},
}

func (d *decoder) join(b *hcl.Block) *Join {
	c := d.content(b, joinSchema)
	j := &Join{Name: b.Labels[0], Range: b.DefRange}
	typ := d.text(c.Attributes, "type")
	if typ.IsSet() {
		t, err := logical.ParseJoinType(strings.ToLower(strings.TrimSpace(typ.Value)))
		if err != nil {
			d.errorf(typ.Range, "join type: %v", err)
		}
		j.Type = t
	}
	j.On = d.text(c.Attributes, "on")
	j.Alias = d.str(c.Attributes, "as")
	return j
}
