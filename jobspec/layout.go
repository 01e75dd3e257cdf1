package jobspec

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Layout is how a view's or sink's rows are spread over partitions (and
// so over tasks and output files): the attributes repartition,
// repartition_by and coalesce.
type Layout struct {
	// Repartition shuffles into this many partitions (0: unset, or the
	// job's partitions when RepartitionBy is set).
	Repartition int
	// RepartitionBy names the columns hashed; none: every column (rows
	// spread evenly).
	RepartitionBy []Text
	// Coalesce merges partitions down to at most this many, no shuffle.
	Coalesce int
	// Range is where the layout is written, for errors found later.
	Range hcl.Range
}

// Shuffles reports whether the layout asks for a repartition.
func (l Layout) Shuffles() bool { return l.Repartition > 0 || len(l.RepartitionBy) > 0 }

// IsSet reports whether any layout attribute was given.
func (l Layout) IsSet() bool { return l.Shuffles() || l.Coalesce > 0 }

// layoutAttributes are the attributes of Layout, shared by views and sinks.
var layoutAttributes = []hcl.AttributeSchema{{Name: "repartition"}, {Name: "repartition_by"}, {Name: "coalesce"}}

// layout reads repartition, repartition_by and coalesce; what is one
// block's says who.
func (d *decoder) layout(attrs hcl.Attributes, what string) Layout {
	l := Layout{
		Repartition:   d.count(attrs, "repartition"),
		RepartitionBy: d.texts(attrs, "repartition_by"),
		Coalesce:      d.count(attrs, "coalesce"),
	}
	for _, name := range []string{"repartition", "repartition_by", "coalesce"} {
		if a, ok := attrs[name]; ok {
			l.Range = a.Range
			break
		}
	}
	if l.Shuffles() && l.Coalesce > 0 {
		d.errorf(attrs["coalesce"].Range, "%s: repartition and coalesce do not combine: repartition shuffles into exactly n partitions; coalesce merges without a shuffle", what)
	}
	return l
}

// size reads an optional byte size: a whole number of bytes, or a string
// like "256MB" (KB, MB, GB, TB are powers of 1000; KiB, MiB, GiB, TiB of
// 1024). 0 when absent.
func (d *decoder) size(attrs hcl.Attributes, name string) int64 {
	attr, ok := attrs[name]
	if !ok {
		return 0
	}
	v, ok := d.value(attr.Expr)
	if !ok {
		return 0
	}
	var n int64
	var err error
	if v.Type() == cty.Number && !v.IsNull() {
		i, acc := v.AsBigFloat().Int64()
		if acc != big.Exact {
			err = fmt.Errorf("not a whole number of bytes")
		}
		n = i
	} else if s, ok := d.stringOf(attr.Expr, name); ok {
		n, err = ParseSize(s)
	} else {
		return 0
	}
	if err == nil && n < 1 {
		err = fmt.Errorf("must be at least 1 byte")
	}
	if err != nil {
		d.errorf(attr.Expr.Range(), "%s: %v", name, err)
		return 0
	}
	return n
}

var sizeUnits = map[string]float64{
	"": 1, "b": 1,
	"kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
}

// ParseSize reads a byte size such as "134217728", "256MB", "1.5 GiB".
func ParseSize(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i < 0 {
		i = len(t)
	}
	num, unit := t[:i], strings.TrimSpace(t[i:])
	mult, ok := sizeUnits[unit]
	f, err := strconv.ParseFloat(num, 64)
	if !ok || err != nil || num == "" {
		return 0, fmt.Errorf("%q is not a size (want bytes, or a number with B, KB, MB, GB, TB, KiB, MiB, GiB or TiB)", s)
	}
	b := f * mult
	if b >= math.MaxInt64 || b != math.Trunc(b) {
		return 0, fmt.Errorf("%q is not a whole number of bytes that fits 63 bits", s)
	}
	return int64(b), nil
}
