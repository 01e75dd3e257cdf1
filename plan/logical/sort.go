package logical

import (
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// SortKey orders by Expr. NULLs sort last in both directions unless
// NullsFirst is set — DuckDB's default, and what people expect of
// "ORDER BY revenue DESC": the largest values first, missing ones last.
type SortKey struct {
	Expr       *expr.Expr `json:"expr"`
	Desc       bool       `json:"desc,omitempty"`
	NullsFirst bool       `json:"nulls_first,omitempty"`
}

func (k SortKey) String() string {
	s := k.Expr.String()
	if k.Desc {
		s += " DESC"
	}
	if k.NullsFirst {
		s += " NULLS FIRST"
	}
	return s
}

// DefaultNullsFirst is the NullsFirst a key gets when the query does not say.
func DefaultNullsFirst(desc bool) bool { return false }

// Sort orders its input by Keys.
type Sort struct {
	Input Node      `json:"-"`
	Keys  []SortKey `json:"keys"`
}

var _ Node = (*Sort)(nil)

func (s *Sort) Schema() *types.Schema { return s.Input.Schema() }
func (s *Sort) Children() []Node      { return []Node{s.Input} }

func (s *Sort) WithChildren(children ...Node) Node {
	mustChildren(1, children, "Sort")
	c := *s
	c.Input = children[0]
	return &c
}

func (s *Sort) Describe() string {
	parts := make([]string, len(s.Keys))
	for i, k := range s.Keys {
		parts[i] = k.String()
	}
	return "Sort " + strings.Join(parts, ", ")
}

// CompareKeyRows orders two rows of sort-key values under keys' directions
// and NULL placement (used for range-partition bounds).
func CompareKeyRows(a, b []types.Value, keys []SortKey) int {
	for i, k := range keys {
		r := types.Compare(a[i], b[i])
		if k.Desc {
			r = -r
		}
		if k.NullsFirst == !k.Desc && a[i].Null != b[i].Null {
			r = -r
		}
		if r != 0 {
			return r
		}
	}
	return 0
}
