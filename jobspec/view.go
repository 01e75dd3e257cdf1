package jobspec

import (
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/drover-etl/drover/plan/logical"
)

var viewSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "from"}, {Name: "where"}, {Name: "select"}, {Name: "group_by"},
		{Name: "aggregate"}, {Name: "having"}, {Name: "order_by"}, {Name: "limit"},
		{Name: "sql"},
	},
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
	for _, blk := range c.Blocks {
		v.Joins = append(v.Joins, d.join(blk))
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
