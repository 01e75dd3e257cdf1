package logical

import (
	"fmt"
	"slices"
)

// MaxGroupingSets bounds the sets of one GROUP BY, as DuckDB does: each set
// is another copy of every input row.
const MaxGroupingSets = 65535

// The helpers below turn GROUP BY syntax into the sets GroupingSets takes,
// in DuckDB's order. An element is a list of key ordinals: ROLLUP((a, b), c)
// has elements [a b] and [c]; a plain key is an element of one.

// Rollup expands ROLLUP(e1, …, en): (), (e1), (e1, e2), …, (e1 … en).
func Rollup(elems [][]int) [][]int {
	out := [][]int{{}}
	var cur []int
	for _, e := range elems {
		cur = union(cur, e)
		out = append(out, cur)
	}
	return out
}

// Cube expands CUBE(e1, …, en) into all 2^n subsets, starting with () and
// each subset followed by its extensions with later elements.
func Cube(elems [][]int) ([][]int, error) {
	if len(elems) > 16 {
		return nil, fmt.Errorf("not supported: CUBE of %d elements (more than %d grouping sets)", len(elems), MaxGroupingSets)
	}
	var out [][]int
	var add func(cur []int, from int)
	add = func(cur []int, from int) {
		out = append(out, cur)
		for k := from; k < len(elems); k++ {
			add(union(cur, elems[k]), k+1)
		}
	}
	add([]int{}, 0)
	return out, nil
}

// CrossSets combines two GROUP BY items, as GROUP BY a, ROLLUP(b, c) does:
// every set of a unioned with every set of b, in order, repeats kept. A
// plain key k is the item [][]int{{k}}.
func CrossSets(a, b [][]int) ([][]int, error) {
	if len(a)*len(b) > MaxGroupingSets {
		return nil, fmt.Errorf("not supported: %d × %d grouping sets (more than %d)", len(a), len(b), MaxGroupingSets)
	}
	out := make([][]int, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, union(x, y))
		}
	}
	return out, nil
}

// union is the sorted set of the keys of a and b.
func union(a, b []int) []int {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}
