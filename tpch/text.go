package tpch

import "math/rand/v2"

// poolBytes is the size of the text pool comments are cut from (dbgen's
// is 300 MB; a few MB keep generation quick and the strings varied).
const poolBytes = 4 << 20

// textPool is text made of grammar sentences (clause 4.2.2.10).
type textPool string

func newTextPool(seed uint64) textPool {
	r := rand.New(rand.NewPCG(seed, 0x7465787470))
	b := make([]byte, 0, poolBytes+256)
	for len(b) < poolBytes {
		b = appendSentence(b, r)
		b = append(b, ' ')
	}
	return textPool(b[:poolBytes])
}

// comment returns a random substring of length [minLen, maxLen], as dbgen
// picks comments out of its pool.
func (p textPool) comment(r *rand.Rand, minLen, maxLen int) string {
	n := uniform(r, minLen, maxLen)
	off := r.IntN(len(p) - n)
	return string(p[off : off+n])
}

func appendSentence(b []byte, r *rand.Rand) []byte {
	b = appendNounPhrase(b, r)
	switch r.IntN(5) {
	case 0:
		b = appendVerbPhrase(b, r)
	case 1:
		b = appendVerbPhrase(b, r)
		b = appendPrepPhrase(b, r)
	case 2:
		b = appendVerbPhrase(b, r)
		b = appendNounPhrase(b, r)
	case 3:
		b = appendPrepPhrase(b, r)
		b = appendVerbPhrase(b, r)
		b = appendNounPhrase(b, r)
	default:
		b = appendPrepPhrase(b, r)
		b = appendVerbPhrase(b, r)
		b = appendPrepPhrase(b, r)
	}
	// The terminator follows the last word directly.
	return append(b[:len(b)-1], pick(r, terminators)...)
}

func appendNounPhrase(b []byte, r *rand.Rand) []byte {
	switch r.IntN(4) {
	case 1:
		b = appendWords(b, pick(r, adjectives))
	case 2:
		b = appendWords(b, pick(r, adjectives)+",", pick(r, adjectives))
	case 3:
		b = appendWords(b, pick(r, adverbs), pick(r, adjectives))
	}
	return appendWords(b, pick(r, nouns))
}

func appendVerbPhrase(b []byte, r *rand.Rand) []byte {
	switch r.IntN(4) {
	case 0:
		return appendWords(b, pick(r, verbs))
	case 1:
		return appendWords(b, pick(r, auxiliaries), pick(r, verbs))
	case 2:
		return appendWords(b, pick(r, verbs), pick(r, adverbs))
	}
	return appendWords(b, pick(r, auxiliaries), pick(r, verbs), pick(r, adverbs))
}

func appendPrepPhrase(b []byte, r *rand.Rand) []byte {
	b = appendWords(b, pick(r, prepositions), "the")
	return appendNounPhrase(b, r)
}

// appendWords appends each word followed by a space.
func appendWords(b []byte, ws ...string) []byte {
	for _, w := range ws {
		b = append(append(b, w...), ' ')
	}
	return b
}

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

// uniform returns an integer in [lo, hi].
func uniform(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }

// vstring is a random string of [minLen, maxLen] characters from dbgen's
// alphabet for addresses.
func vstring(r *rand.Rand, buf []byte, minLen, maxLen int) string {
	const alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ,. "
	buf = buf[:0]
	for range uniform(r, minLen, maxLen) {
		buf = append(buf, alphabet[r.IntN(len(alphabet))])
	}
	return string(buf)
}
