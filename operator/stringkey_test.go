package operator

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	amem "github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/operator/hashtab"
)

// stringWithGarbageNulls makes a VARCHAR column of words (each row's index
// from pick, -1 for NULL) whose NULL slots cover bytes of their own, as
// Arrow allows: they must neither split the NULL group nor join "".
// The column is a slice (offset 1) of a longer one.
func stringWithGarbageNulls(words []string, pick []int) (arrow.Array, []string) {
	n := len(pick)
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.Append("before the slice")
	ref := make([]string, n)
	valid := make([]byte, bitutil.BytesForBits(int64(n+1)))
	bitutil.SetBit(valid, 0)
	nulls := 0
	for i, w := range pick {
		if w < 0 {
			b.Append("garbage" + fmt.Sprint(i%3))
			ref[i] = "NULL"
			nulls++
			continue
		}
		b.Append(words[w])
		bitutil.SetBit(valid, i+1)
		ref[i] = "'" + words[w] + "'"
	}
	full := b.NewArray()
	defer full.Release()
	bufs := full.Data().Buffers()
	data := array.NewData(arrow.BinaryTypes.String, n+1,
		[]*amem.Buffer{amem.NewBufferBytes(valid), bufs[1], bufs[2]}, nil, nulls, 0)
	defer data.Release()
	whole := array.NewStringData(data)
	defer whole.Release()
	return array.NewSlice(whole, 1, int64(n+1)), ref
}

// wordsOfAllLengths are keys of 0 to 40 bytes (every path of
// hashtab.HashString), differing in one byte at either end or in length.
func wordsOfAllLengths() []string {
	var out []string
	for l := range 41 {
		base := strings.Repeat("k", l)
		out = append(out, base)
		if l > 0 {
			out = append(out, "x"+base[1:], base[:l-1]+"y")
		}
	}
	return out
}

func genStrings(words []string, nullEvery int) keyGen {
	return func(r *rand.Rand, n int) ([]arrow.Array, []string) {
		pick := make([]int, n)
		for i := range pick {
			pick[i] = r.IntN(len(words))
			if r.IntN(nullEvery) == 0 {
				pick[i] = -1
			}
		}
		if r.IntN(3) == 0 { // some batches plain without NULLs
			for i := range pick {
				if pick[i] < 0 {
					pick[i] = 0
				}
			}
			col := plainColumn(withNulls(words, pick))
			return []arrow.Array{col}, refOf(words, pick)
		}
		col, ref := stringWithGarbageNulls(words, pick)
		return []arrow.Array{col}, ref
	}
}

func refOf(words []string, pick []int) []string {
	out := make([]string, len(pick))
	for i, w := range pick {
		out[i] = "'" + words[w] + "'"
	}
	return out
}

// manyWords are 5000 distinct keys: the table grows several times.
func manyWords() []string {
	out := make([]string, 5000)
	for i := range out {
		out[i] = fmt.Sprintf("w%0*d", i%30, i)
	}
	return out
}

// TestHashStringSpreads: distinct short strings get distinct hashes, and
// the table's tag (low half) and slot (high bits) both vary.
func TestHashStringSpreads(t *testing.T) {
	words := append(wordsOfAllLengths(), manyWords()...)
	seen := map[uint64]string{}
	tags := map[uint32]bool{}
	slots := map[uint64]bool{}
	for _, w := range words {
		h := hashtab.HashString([]byte(w), rowSeed)
		if other, ok := seen[h]; ok {
			t.Fatalf("%q and %q share hash %x", w, other, h)
		}
		seen[h] = w
		tags[uint32(h)] = true
		slots[h>>52] = true // 4096 slots
	}
	if len(tags) != len(words) || len(slots) < 2500 {
		t.Fatalf("%d words: %d tags, %d of 4096 slots", len(words), len(tags), len(slots))
	}
	if uint32(emptyStringHash) == uint32(nullStringHash) {
		t.Fatal("NULL and '' share a tag")
	}
}
