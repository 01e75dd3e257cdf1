package sketch

import (
	"encoding/binary"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"testing"
)

func hashOf(i int) uint64 {
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(i))
	h.Write(b[:])
	// fnv's high bits are weak for sequential keys; mix them.
	x := h.Sum64()
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	return x
}

// TestHLLErrorAndMerge: exact while sparse, within 5% (≈3 standard
// errors) when dense, and a merge of halves equals the whole.
func TestHLLErrorAndMerge(t *testing.T) {
	for _, n := range []int{0, 1, 100, 512, 513, 5_000, 100_000} {
		whole, a, b := NewHLL(), NewHLL(), NewHLL()
		for i := range n {
			whole.Add(hashOf(i))
			whole.Add(hashOf(i)) // duplicates change nothing
			if i%2 == 0 {
				a.Add(hashOf(i))
			} else {
				b.Add(hashOf(i))
			}
		}
		rb, err := ParseHLL(b.String())
		if err != nil {
			t.Fatal(err)
		}
		a.Merge(rb)
		got := whole.Count()
		if n <= sparseLimit && got != int64(n) {
			t.Errorf("n=%d (sparse): count %d", n, got)
		}
		if e := math.Abs(float64(got-int64(n))) / math.Max(1, float64(n)); e > 0.05 {
			t.Errorf("n=%d: count %d, error %.3f", n, got, e)
		}
		if a.Count() != got {
			t.Errorf("n=%d: merged halves count %d, whole %d", n, a.Count(), got)
		}
	}
	if _, err := ParseHLL("not base64!"); err == nil {
		t.Error("ParseHLL of garbage: want an error")
	}
}

// TestTDigestAccuracy: quantiles of 100k uniform values within 1% of the
// range, whole or merged from ten serialized parts; small inputs are
// exact at the order statistics.
func TestTDigestAccuracy(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	whole, merged := NewTDigest(), NewTDigest()
	parts := make([]*TDigest, 10)
	for i := range parts {
		parts[i] = NewTDigest()
	}
	for i := range 100_000 {
		x := rng.Float64() * 1000
		whole.Add(x)
		parts[i%10].Add(x)
	}
	for _, p := range parts {
		r, err := ParseTDigest(p.String())
		if err != nil {
			t.Fatal(err)
		}
		merged.Merge(r)
	}
	for _, q := range []float64{0, 0.01, 0.25, 0.5, 0.9, 0.999, 1} {
		for name, d := range map[string]*TDigest{"whole": whole, "merged": merged} {
			got, ok := d.Quantile(q)
			if !ok || math.Abs(got-q*1000) > 10 {
				t.Errorf("%s q=%v: %v, want about %v", name, q, got, q*1000)
			}
		}
	}
	small := NewTDigest()
	for _, x := range []float64{5, 1, 3} {
		small.Add(x)
	}
	if got, _ := small.Quantile(0.5); got != 3 {
		t.Errorf("median of 1,3,5 = %v", got)
	}
	if _, ok := NewTDigest().Quantile(0.5); ok {
		t.Error("quantile of an empty digest: want ok=false")
	}
}
