package eval

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

func buildLike(c *compiler, e *expr.Expr, args []node) (node, error) {
	if err := wantArity(e, 2, 2); err != nil {
		return nil, err
	}
	for i := range args {
		if err := wantType(e, i, isType(types.String), "string"); err != nil {
			return nil, err
		}
	}
	fold := e.Name == expr.FnILike
	lit, ok := args[1].(*litNode)
	if !ok {
		return newCall(e.Name, types.BoolType, args, likeDynKernel(fold), strict, 0), nil
	}
	if lit.val.Null {
		return &litNode{val: types.NullValue(types.BoolType)}, nil
	}
	p, err := compileLike(foldCase(lit.val.S, fold))
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w", e.Name, lit.val.S, err)
	}
	return newCall(e.Name, types.BoolType, args[:1], likeKernel(p, fold), strict|liftable, 0), nil
}

func foldCase(s string, fold bool) string {
	if fold {
		return strings.ToLower(s)
	}
	return s
}

// likeKernel matches a column against a pattern compiled at Compile time.
func likeKernel(p *likePattern, fold bool) kernel {
	return func(b *batch, args []datum) (arrow.Array, error) {
		s := args[0].arr.(*array.String)
		data := newBitmap(b.mem, b.n)
		if fold {
			likeFoldInto(p, s, data.Bytes())
		} else {
			likeInto(p, s, data.Bytes())
		}
		valid, nulls := validAnd(b.mem, b.n, s)
		return boolArray(b.n, data, valid, nulls), nil
	}
}

// likeInto has one loop per literal shape so the common patterns cost a
// prefix, suffix or substring test per row and nothing else.
func likeInto(p *likePattern, s *array.String, out []byte) {
	var tmp [chunk]bool
	lit := p.lit
	for base := 0; base < s.Len(); base += chunk {
		r := tmp[:min(chunk, s.Len()-base)]
		switch p.kind {
		case likeExact:
			for i := range r {
				r[i] = s.Value(base+i) == lit
			}
		case likePrefix:
			for i := range r {
				r[i] = strings.HasPrefix(s.Value(base+i), lit)
			}
		case likeSuffix:
			for i := range r {
				r[i] = strings.HasSuffix(s.Value(base+i), lit)
			}
		case likeContains:
			for i := range r {
				r[i] = strings.Contains(s.Value(base+i), lit)
			}
		case likeAny:
			for i := range r {
				r[i] = true
			}
		default:
			for i := range r {
				r[i] = p.matchGeneral(s.Value(base + i))
			}
		}
		packBools(out, base, r)
	}
}

// likeFoldInto lowercases each value into a reused buffer first (ILIKE).
func likeFoldInto(p *likePattern, s *array.String, out []byte) {
	var tmp [chunk]bool
	var buf []byte
	for base := 0; base < s.Len(); base += chunk {
		r := tmp[:min(chunk, s.Len()-base)]
		for i := range r {
			buf = appendLower(buf[:0], s.Value(base+i))
			r[i] = p.match(unsafeString(buf))
		}
		packBools(out, base, r)
	}
}

// likeDynKernel handles a pattern that is itself a column, compiling each
// distinct pattern once per batch.
func likeDynKernel(fold bool) kernel {
	return func(b *batch, args []datum) (arrow.Array, error) {
		s, pat := args[0].arr.(*array.String), args[1].arr.(*array.String)
		data := newBitmap(b.mem, b.n)
		out := data.Bytes()
		cache := map[string]*likePattern{}
		var buf []byte
		for i := range b.n {
			if s.IsNull(i) || pat.IsNull(i) {
				continue
			}
			p, err := cachedLike(cache, foldCase(pat.Value(i), fold))
			if err != nil {
				data.Release()
				return nil, fmt.Errorf("like %q: %w", pat.Value(i), err)
			}
			v := s.Value(i)
			if fold {
				buf = appendLower(buf[:0], v)
				v = unsafeString(buf)
			}
			if p.match(v) {
				out[i>>3] |= 1 << (i & 7)
			}
		}
		valid, nulls := validAnd(b.mem, b.n, s, pat)
		return boolArray(b.n, data, valid, nulls), nil
	}
}

func cachedLike(cache map[string]*likePattern, pattern string) (*likePattern, error) {
	if p, ok := cache[pattern]; ok {
		return p, nil
	}
	p, err := compileLike(pattern)
	if err != nil {
		return nil, err
	}
	if len(cache) < 4096 {
		cache[pattern] = p
	}
	return p, nil
}

// appendLower appends s lowercased: bytewise for ASCII, per rune beyond.
func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			for _, r := range s[i:] {
				dst = utf8.AppendRune(dst, unicode.ToLower(r))
			}
			return dst
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// appendUpper appends s uppercased: bytewise for ASCII, per rune beyond.
func appendUpper(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			for _, r := range s[i:] {
				dst = utf8.AppendRune(dst, unicode.ToUpper(r))
			}
			return dst
		}
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}
