package types

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Sentinel errors of this package.
var (
	ErrUnknownColumn   = errors.New("unknown column")
	ErrAmbiguousColumn = errors.New("ambiguous column")
)

// UnknownColumnError names a column reference that resolves to nothing and
// the nearest existing names, so a typo gets a "did you mean" hint.
type UnknownColumnError struct {
	Ref         string
	Suggestions []string
}

func (e *UnknownColumnError) Error() string {
	msg := fmt.Sprintf("unknown column %q", e.Ref)
	if len(e.Suggestions) > 0 {
		msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(quoteAll(e.Suggestions), ", "))
	}
	return msg
}

// Is makes errors.Is(err, ErrUnknownColumn) true.
func (e *UnknownColumnError) Is(target error) bool { return target == ErrUnknownColumn }

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// near returns up to three column names closest to ref by edit distance.
func (s *Schema) near(ref string) []string {
	type cand struct {
		name string
		d    int
	}
	ref = strings.ToLower(ref)
	var cands []cand
	seen := map[string]bool{}
	for _, f := range s.Fields {
		for _, n := range []string{f.Name, f.QualifiedName()} {
			if seen[n] {
				continue
			}
			seen[n] = true
			d := EditDistance(ref, strings.ToLower(n))
			if d <= max(2, len(ref)/3) {
				cands = append(cands, cand{n, d})
			}
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].d < cands[j].d })
	var out []string
	for _, c := range cands {
		if len(out) == 3 {
			break
		}
		out = append(out, c.name)
	}
	return out
}

// Nearest returns the candidate closest to name by edit distance
// (case-insensitive; ties go to the first in sorted order), or "" when none
// is within a third of name's length (at least 2 edits). Every "did you
// mean" hint in Drover comes from here.
func Nearest(name string, candidates []string) string {
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	best, bestD := "", max(2, len(name)/3)+1
	for _, c := range sorted {
		if d := EditDistance(strings.ToLower(name), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// EditDistance is the Levenshtein distance between two strings, counted in
// characters (runes).
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev, cur := make([]int, len(rb)+1), make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
