package main

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Slug turns text into lower-case ASCII words joined by '-': accents are
// removed ("Café" → "cafe"), anything else that is not a letter or digit
// separates words, and what has no ASCII form (emoji) is dropped.
func Slug(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	sep := false
	for _, r := range stripMarks(s) {
		switch {
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if sep && b.Len() > 0 {
				b.WriteByte('-')
			}
			sep = false
			b.WriteRune(unicode.ToLower(r))
		default:
			sep = true
		}
	}
	return b.String()
}

// stripMarks decomposes s and drops the combining marks (the accents).
func stripMarks(s string) string {
	if isASCII(s) {
		return s
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)))
	out, _, err := transform.String(t, s)
	if err != nil {
		return s
	}
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Normalize applies Unicode NFKC (compatibility forms: "ﬁ" → "fi") and
// collapses each run of whitespace, newlines included, to one space.
func Normalize(s string) string {
	return strings.Join(strings.Fields(norm.NFKC.String(s)), " ")
}

// Hash is the 64-bit FNV-1a hash of s, as a signed integer.
func Hash(s string) int64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= prime
	}
	return int64(h)
}
