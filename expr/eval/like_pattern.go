package eval

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// errLikeEscape: PostgreSQL rejects a pattern ending in the escape.
var errLikeEscape = errors.New("LIKE pattern must not end with escape character")

// likeKind is the shape of a compiled pattern; the literal shapes avoid
// the general matcher entirely.
type likeKind uint8

const (
	likeExact    likeKind = iota // abc
	likePrefix                   // abc%
	likeSuffix                   // %abc
	likeContains                 // %abc%
	likeAny                      // % (matches every non-NULL string)
	likeGeneral                  // anything with _ or inner %
)

// likePattern is a LIKE pattern compiled once. A general pattern is split
// at % into segments; each segment is a run of tokens, literal text or a
// count of _ wildcards (one character each, not one byte).
type likePattern struct {
	kind likeKind
	lit  string
	segs [][]likeTok // general: segments between %, first/last anchored
	lead bool        // general: pattern starts with %
	tail bool        // general: pattern ends with %
}

type likeTok struct {
	lit  string // literal text, or
	skip int    // number of _ (when lit is empty)
}

// compileLike parses pattern with backslash as the escape character.
func compileLike(pattern string) (*likePattern, error) {
	segs, lead, tail, err := splitLike(pattern)
	if err != nil {
		return nil, err
	}
	p := &likePattern{segs: segs, lead: lead, tail: tail, kind: likeGeneral}
	p.classify()
	return p, nil
}

// splitLike turns the pattern into %-separated segments of tokens; empty
// segments (from %%) are dropped.
func splitLike(pattern string) (segs [][]likeTok, lead, tail bool, err error) {
	var seg []likeTok
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			seg = append(seg, likeTok{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		switch c {
		case '\\':
			if i+1 == len(pattern) {
				return nil, false, false, errLikeEscape
			}
			i++
			lit.WriteByte(pattern[i])
		case '%':
			flush()
			segs, seg = appendSeg(segs, seg), nil
			lead = lead || i == 0
		case '_':
			flush()
			seg = addSkip(seg)
		default:
			lit.WriteByte(c)
		}
		tail = c == '%'
	}
	flush()
	return appendSeg(segs, seg), lead, tail, nil
}

func appendSeg(segs [][]likeTok, seg []likeTok) [][]likeTok {
	if len(seg) == 0 {
		return segs
	}
	return append(segs, seg)
}

func addSkip(seg []likeTok) []likeTok {
	if n := len(seg); n > 0 && seg[n-1].lit == "" {
		seg[n-1].skip++
		return seg
	}
	return append(seg, likeTok{skip: 1})
}

// classify picks a literal fast path when every segment is plain text.
func (p *likePattern) classify() {
	for _, s := range p.segs {
		if len(s) > 1 || (len(s) == 1 && s[0].lit == "") {
			return
		}
	}
	switch {
	case len(p.segs) == 0 || (len(p.segs) == 1 && len(p.segs[0]) == 0):
		p.kind = likeExact
		if p.lead || p.tail {
			p.kind = likeAny
		}
		return
	case len(p.segs) > 1:
		return
	}
	p.lit = p.segs[0][0].lit
	p.kind = [2][2]likeKind{{likeExact, likePrefix}, {likeSuffix, likeContains}}[b2i(p.lead)][b2i(p.tail)]
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// match runs the pattern against s.
func (p *likePattern) match(s string) bool {
	switch p.kind {
	case likeExact:
		return s == p.lit
	case likePrefix:
		return strings.HasPrefix(s, p.lit)
	case likeSuffix:
		return strings.HasSuffix(s, p.lit)
	case likeContains:
		return strings.Contains(s, p.lit)
	case likeAny:
		return true
	}
	return p.matchGeneral(s)
}

// matchGeneral anchors the first segment at the start (unless the pattern
// begins with %), the last at the end (unless it ends with %), and finds
// each middle segment at its leftmost position: with only % between
// segments, leftmost placement never loses a match.
func (p *likePattern) matchGeneral(s string) bool {
	segs := p.segs
	if !p.lead && !p.tail && len(segs) == 1 {
		end, ok := matchSeg(s, segs[0])
		return ok && end == len(s)
	}
	if !p.lead {
		end, ok := matchSeg(s, segs[0])
		if !ok {
			return false
		}
		s, segs = s[end:], segs[1:]
	}
	if !p.tail {
		if len(segs) == 0 {
			return s == ""
		}
		start, ok := matchSegBack(s, segs[len(segs)-1])
		if !ok {
			return false
		}
		s, segs = s[:start], segs[:len(segs)-1]
	}
	for _, seg := range segs {
		end, ok := findSeg(s, seg)
		if !ok {
			return false
		}
		s = s[end:]
	}
	return true
}

// matchSeg matches seg at the start of s and returns where it ends.
func matchSeg(s string, seg []likeTok) (int, bool) {
	i := 0
	for _, t := range seg {
		if t.lit != "" {
			if !strings.HasPrefix(s[i:], t.lit) {
				return 0, false
			}
			i += len(t.lit)
			continue
		}
		for range t.skip {
			if i == len(s) {
				return 0, false
			}
			_, w := utf8.DecodeRuneInString(s[i:])
			i += w
		}
	}
	return i, true
}

// matchSegBack matches seg at the end of s and returns where it starts.
func matchSegBack(s string, seg []likeTok) (int, bool) {
	j := len(s)
	for k := len(seg) - 1; k >= 0; k-- {
		t := seg[k]
		if t.lit != "" {
			if !strings.HasSuffix(s[:j], t.lit) {
				return 0, false
			}
			j -= len(t.lit)
			continue
		}
		for range t.skip {
			if j == 0 {
				return 0, false
			}
			_, w := utf8.DecodeLastRuneInString(s[:j])
			j -= w
		}
	}
	return j, true
}

// findSeg finds the leftmost match of seg in s and returns its end. A
// leading literal lets strings.Index jump between candidates.
func findSeg(s string, seg []likeTok) (int, bool) {
	for start := 0; start <= len(s); {
		if lit := seg[0].lit; lit != "" {
			k := strings.Index(s[start:], lit)
			if k < 0 {
				return 0, false
			}
			start += k
		}
		if end, ok := matchSeg(s[start:], seg); ok {
			return start + end, true
		}
		if start == len(s) {
			break
		}
		_, w := utf8.DecodeRuneInString(s[start:])
		start += w
	}
	return 0, false
}
