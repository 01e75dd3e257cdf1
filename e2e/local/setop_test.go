package local

import (
	"fmt"
	"strings"
	"testing"

	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// Rows repeat on both sides, across partitions, with NULLs in either
// column: (1, NULL) occurs 3 times left and twice right.
var (
	setLeft = [][][]any{
		{{1, "a"}, {1, "a"}, {2, "b"}, {1, nil}, {nil, nil}},
		{{1, nil}, {3, "c"}, {1, "a"}, {nil, "x"}},
		{{1, nil}, {4, "d"}, {4, "d"}},
	}
	setRight = [][][]any{
		{{1, "a"}, {1, nil}, {nil, nil}, {nil, nil}},
		{{1, nil}, {4, "d"}, {5, "e"}},
	}
	setCols  = []string{"id", "tag"}
	setTypes = []types.Type{types.Int64Type, types.StringType}
)

func TestSetOperationsDistributed(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	for _, kind := range []logical.SetOpKind{logical.Intersect, logical.Except} {
		for _, all := range []bool{false, true} {
			for _, rightEmpty := range []bool{false, true} {
				name := fmt.Sprintf("%s_all=%v_right_empty=%v", kind, all, rightEmpty)
				t.Run(name, func(t *testing.T) {
					right := setRight
					if rightEmpty {
						right = [][][]any{{}}
					}
					l := partitioned(t, "l", setCols, setTypes, setLeft...)
					r := partitioned(t, "r", setCols, setTypes, right...)
					op, err := logical.NewSetOp(kind, all, l, r)
					if err != nil {
						t.Fatal(err)
					}
					res := runLogical(t, op, 3)
					sameRows(t, name, text(res.rows, false, setCols...), refSetOp(kind, all, setLeft, right))
				})
			}
		}
	}
}

// TestUnionDistinctNullsEqual checks that UNION DISTINCT (Distinct over a
// Union) keeps one row per distinct row, NULLs equal.
func TestUnionDistinctNullsEqual(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	l := partitioned(t, "l", setCols, setTypes, setLeft...)
	r := partitioned(t, "r", setCols, setTypes, setRight...)
	res := runLogical(t, &logical.Distinct{Input: &logical.Union{Inputs: []logical.Node{l, r}}}, 3)
	want := map[string]bool{}
	for _, side := range [][][][]any{setLeft, setRight} {
		for _, c := range side {
			for _, row := range c {
				want[rowKey(row)] = true
			}
		}
	}
	sameRows(t, "union distinct", text(res.rows, false, setCols...), sortedKeys(want))
}

// TestSetOpCoercesTypes: an int64 column against a float64 one compares
// as float64 (1 = 1.0), as UNION coerces.
func TestSetOpCoercesTypes(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	l := partitioned(t, "l", []string{"x"}, []types.Type{types.Int64Type}, [][]any{{1}, {2}, {nil}}, [][]any{{3}})
	r := partitioned(t, "r", []string{"y"}, []types.Type{types.Float64Type}, [][]any{{1.0}, {2.5}, {nil}})
	op, err := logical.NewSetOp(logical.Intersect, false, l, r)
	if err != nil {
		t.Fatal(err)
	}
	if got := op.Schema().Fields[0]; got.Type != types.Float64Type || got.Name != "x" {
		t.Fatalf("schema %s", op.Schema())
	}
	res := runLogical(t, op, 2)
	sameRows(t, "intersect", text(res.rows, false, "x"), []string{"1", "NULL"})
}

// refSetOp counts each distinct row per side (NULLs equal) and keeps
// min(l, r) / max(l-r, 0) copies for ALL; INTERSECT keeps one copy of a row
// on both sides, EXCEPT one of a row on the left only.
func refSetOp(kind logical.SetOpKind, all bool, left, right [][][]any) []string {
	count := func(chunks [][][]any) map[string]int {
		m := map[string]int{}
		for _, c := range chunks {
			for _, row := range c {
				m[rowKey(row)]++
			}
		}
		return m
	}
	lc, rc := count(left), count(right)
	var out []string
	for k, l := range lc {
		r := rc[k]
		n := l - r
		if kind == logical.Intersect {
			n = min(l, r)
		}
		switch {
		case !all && kind == logical.Except && r > 0:
			n = 0 // EXCEPT DISTINCT: any right copy removes the row
		case !all:
			n = min(n, 1)
		}
		for range max(n, 0) {
			out = append(out, k)
		}
	}
	sortStrings(out)
	return out
}

func rowKey(row []any) string {
	cells := make([]string, len(row))
	for i, v := range row {
		cells[i] = key(v)
	}
	return strings.Join(cells, "|")
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sortStrings(out)
	return out
}
