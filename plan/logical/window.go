package logical

import (
	"fmt"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// WindowKind is what a window function computes.
type WindowKind uint8

// Window functions. WinAggregate is any aggregate (WindowFunc.Agg) over the
// function's frame; the others are the SQL ranking and value functions.
const (
	WinRowNumber WindowKind = iota
	WinRank
	WinDenseRank
	WinPercentRank
	WinCumeDist
	WinNtile
	WinLag
	WinLead
	WinFirstValue
	WinLastValue
	WinNthValue
	WinAggregate
)

var windowKindNames = [...]string{"row_number", "rank", "dense_rank", "percent_rank", "cume_dist",
	"ntile", "lag", "lead", "first_value", "last_value", "nth_value", "aggregate"}

func (k WindowKind) String() string { return windowKindNames[k] }

// UsesFrame reports whether the function reads its frame; ranking
// functions and lag/lead work on the partition and ignore it, as in SQL.
func (k WindowKind) UsesFrame() bool {
	return k == WinAggregate || k == WinFirstValue || k == WinLastValue || k == WinNthValue
}

// FrameUnit is how frame offsets count: rows, order-key value distance
// (RANGE) or peer groups (GROUPS).
type FrameUnit uint8

// Frame units.
const (
	FrameRows FrameUnit = iota
	FrameRange
	FrameGroups
)

var frameUnitNames = [...]string{"ROWS", "RANGE", "GROUPS"}

func (u FrameUnit) String() string { return frameUnitNames[u] }

// BoundKind is one end of a frame. The order of the constants is the SQL
// order of positions; a frame's start may not come after its end kind.
type BoundKind uint8

// Frame bound kinds.
const (
	UnboundedPreceding BoundKind = iota
	Preceding
	CurrentRow
	Following
	UnboundedFollowing
)

var boundKindNames = [...]string{"UNBOUNDED PRECEDING", "PRECEDING", "CURRENT ROW", "FOLLOWING", "UNBOUNDED FOLLOWING"}

func (b BoundKind) String() string { return boundKindNames[b] }

// FrameBound is a frame start or end. Offset is set for Preceding and
// Following: a non-negative int64 for ROWS and GROUPS; for RANGE a value
// in the order key's domain (NewWindow normalizes it): int64 for integer
// keys, days (int64) for DATE keys, microseconds (int64) for TIMESTAMP
// keys, float64 for float keys, and a decimal of the key's scale for
// decimal keys.
type FrameBound struct {
	Kind   BoundKind   `json:"kind"`
	Offset types.Value `json:"offset,omitzero"`
}

func (b FrameBound) String() string {
	if b.Kind == Preceding || b.Kind == Following {
		return b.Offset.String() + " " + b.Kind.String()
	}
	return b.Kind.String()
}

// WindowFrame is the set of rows an aggregate or a first/last/nth value
// reads for each row: Unit BETWEEN Start AND End.
type WindowFrame struct {
	Unit  FrameUnit  `json:"unit"`
	Start FrameBound `json:"start"`
	End   FrameBound `json:"end"`
}

func (f WindowFrame) String() string {
	return fmt.Sprintf("%s BETWEEN %s AND %s", f.Unit, f.Start, f.End)
}

// DefaultFrame is SQL's frame when the query names none: with an ORDER BY,
// the rows up to the current row and its peers; without, the partition.
func DefaultFrame(ordered bool) WindowFrame {
	if ordered {
		return WindowFrame{Unit: FrameRange, Start: FrameBound{Kind: UnboundedPreceding}, End: FrameBound{Kind: CurrentRow}}
	}
	return WindowFrame{Unit: FrameRows, Start: FrameBound{Kind: UnboundedPreceding}, End: FrameBound{Kind: UnboundedFollowing}}
}

// WindowFunc is one bound window function producing column Name of Type.
// Args are bound against the Window's input:
//   - ntile: [buckets]; lag, lead: [x] or [x, default] (default cast to
//     x's type) with Offset rows (default 1);
//   - first_value, last_value: [x]; nth_value: [x] with N (1-based);
//   - aggregates: [x], or none for count(*).
//
// IgnoreNulls (lag, lead, first/last/nth_value) skips NULL values of x.
// Frame is used by aggregates and first/last/nth_value only.
type WindowFunc struct {
	Kind        WindowKind   `json:"kind"`
	Agg         expr.AggFunc `json:"agg,omitempty"`
	Distinct    bool         `json:"distinct,omitempty"`
	Args        []*expr.Expr `json:"args,omitempty"`
	Offset      int64        `json:"offset,omitempty"`
	N           int64        `json:"n,omitempty"`
	IgnoreNulls bool         `json:"ignore_nulls,omitempty"`
	Frame       WindowFrame  `json:"frame"`
	Name        string       `json:"name"`
	Type        types.Type   `json:"type"`
	Nullable    bool         `json:"nullable,omitempty"`
}

// FuncName is the SQL name of the function ("sum", "row_number").
func (f WindowFunc) FuncName() string {
	if f.Kind == WinAggregate {
		if f.Agg == expr.AggCountStar {
			return "count"
		}
		return f.Agg.String()
	}
	return f.Kind.String()
}

func (f WindowFunc) String() string {
	var sb strings.Builder
	sb.WriteString(f.FuncName() + "(")
	switch {
	case f.Kind == WinAggregate && f.Agg == expr.AggCountStar:
		sb.WriteString("*")
	case f.Distinct:
		sb.WriteString("DISTINCT ")
	}
	sb.WriteString(exprList(f.Args))
	switch f.Kind {
	case WinLag, WinLead:
		fmt.Fprintf(&sb, "; offset %d", f.Offset)
	case WinNthValue:
		fmt.Fprintf(&sb, "; n %d", f.N)
	}
	sb.WriteString(")")
	if f.IgnoreNulls {
		sb.WriteString(" IGNORE NULLS")
	}
	if f.Kind.UsesFrame() {
		sb.WriteString(" " + f.Frame.String())
	}
	return sb.String() + " AS " + f.Name
}

// Window computes Funcs over the rows of each partition (equal PartitionBy
// values) in OrderBy order. Output: the input columns, then one column per
// function. All functions of one node share its partitioning and order;
// a query with several window specifications stacks several nodes.
type Window struct {
	Input       Node         `json:"-"`
	PartitionBy []*expr.Expr `json:"partition_by,omitempty"`
	OrderBy     []SortKey    `json:"order_by,omitempty"`
	Funcs       []WindowFunc `json:"funcs"`
}

var _ Node = (*Window)(nil)

func (w *Window) Schema() *types.Schema {
	in := w.Input.Schema()
	s := &types.Schema{Fields: append([]types.Field(nil), in.Fields...)}
	for _, f := range w.Funcs {
		s.Fields = append(s.Fields, types.Field{Name: f.Name, Type: f.Type, Nullable: f.Nullable})
	}
	return s
}

func (w *Window) Children() []Node { return []Node{w.Input} }

func (w *Window) WithChildren(children ...Node) Node {
	mustChildren(1, children, "Window")
	c := *w
	c.Input = children[0]
	return &c
}

func (w *Window) Describe() string {
	funcs := make([]string, len(w.Funcs))
	for i, f := range w.Funcs {
		funcs[i] = f.String()
	}
	keys := make([]string, len(w.OrderBy))
	for i, k := range w.OrderBy {
		keys[i] = k.String()
	}
	return fmt.Sprintf("Window partition=[%s] order=[%s] funcs=[%s]", exprList(w.PartitionBy), strings.Join(keys, ", "), strings.Join(funcs, ", "))
}
