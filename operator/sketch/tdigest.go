package sketch

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
)

// ErrCorrupt: a serialized sketch does not decode.
var ErrCorrupt = errors.New("sketch: corrupt serialized state")

// Compression is the t-digest's δ: about δ/2 centroids after compressing;
// quantile error grows toward the middle of the distribution and stays
// well under 1% of the rank for δ = 100.
const Compression = 100

type centroid struct{ mean, weight float64 }

// TDigest is a merging t-digest (Dunning) with the k1 scale function.
// The zero value is not usable; use NewTDigest.
type TDigest struct {
	centroids []centroid // sorted by mean, compressed
	buffer    []centroid // unsorted additions
	total     float64
	min, max  float64
}

// NewTDigest returns an empty digest.
func NewTDigest() *TDigest { return &TDigest{min: math.Inf(1), max: math.Inf(-1)} }

// Count is the number of values added.
func (t *TDigest) Count() float64 { return t.total }

// Add adds one value; NaN is ignored.
func (t *TDigest) Add(x float64) {
	if math.IsNaN(x) {
		return
	}
	t.addCentroid(centroid{x, 1}, x, x)
}

func (t *TDigest) addCentroid(c centroid, lo, hi float64) {
	t.buffer = append(t.buffer, c)
	t.total += c.weight
	t.min, t.max = math.Min(t.min, lo), math.Max(t.max, hi)
	if len(t.buffer) >= 8*Compression {
		t.compress()
	}
}

// Merge adds every value summarized by o.
func (t *TDigest) Merge(o *TDigest) {
	o.compress()
	for _, c := range o.centroids {
		t.addCentroid(c, o.min, o.max)
	}
}

// compress sorts the buffer into the centroids, merging neighbours while
// the merged centroid stays within one unit of the scale function.
func (t *TDigest) compress() {
	if len(t.buffer) == 0 {
		return
	}
	all := append(t.centroids, t.buffer...)
	t.buffer = t.buffer[:0]
	slices.SortFunc(all, func(a, b centroid) int {
		switch {
		case a.mean < b.mean:
			return -1
		case a.mean > b.mean:
			return 1
		}
		return 0
	})
	out := make([]centroid, 0, Compression)
	cur := all[0]
	cum := 0.0
	limit := kInverse(kScale(0) + 1)
	for _, c := range all[1:] {
		if (cum+cur.weight+c.weight)/t.total <= limit {
			cur.mean += (c.mean - cur.mean) * c.weight / (cur.weight + c.weight)
			cur.weight += c.weight
			continue
		}
		out = append(out, cur)
		cum += cur.weight
		limit = kInverse(kScale(cum/t.total) + 1)
		cur = c
	}
	t.centroids = append(out, cur)
}

func kScale(q float64) float64 { return Compression / (2 * math.Pi) * math.Asin(2*q-1) }
func kInverse(k float64) float64 {
	return (math.Sin(math.Min(k*2*math.Pi/Compression, math.Pi/2)) + 1) / 2
}

// Quantile estimates the q-quantile (0 <= q <= 1), interpolating between
// centroid centres; ok is false for an empty digest.
func (t *TDigest) Quantile(q float64) (float64, bool) {
	t.compress()
	cs := t.centroids
	switch len(cs) {
	case 0:
		return 0, false
	case 1:
		return cs[0].mean, true
	}
	index := q * t.total
	if index <= cs[0].weight/2 {
		return t.min + (cs[0].mean-t.min)*index/(cs[0].weight/2), true
	}
	cum := 0.0
	for i := 0; i < len(cs)-1; i++ {
		left := cum + cs[i].weight/2
		right := cum + cs[i].weight + cs[i+1].weight/2
		if index <= right {
			frac := (index - left) / (right - left)
			return cs[i].mean + frac*(cs[i+1].mean-cs[i].mean), true
		}
		cum += cs[i].weight
	}
	last := cs[len(cs)-1]
	tail := t.total - last.weight/2
	if index >= t.total {
		return t.max, true
	}
	return last.mean + (t.max-last.mean)*(index-tail)/(last.weight/2), true
}

// String serializes the digest (compressed) as base64.
func (t *TDigest) String() string {
	t.compress()
	buf := make([]byte, 0, 24+16*len(t.centroids))
	buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(t.min))
	buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(t.max))
	for _, c := range t.centroids {
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(c.mean))
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(c.weight))
	}
	return base64.RawStdEncoding.EncodeToString(buf)
}

// ParseTDigest reads String's output.
func ParseTDigest(s string) (*TDigest, error) {
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil || len(b) < 16 || (len(b)-16)%16 != 0 {
		return nil, fmt.Errorf("%w: t-digest of %d bytes", ErrCorrupt, len(s))
	}
	f := func(i int) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b[i:])) }
	t := &TDigest{min: f(0), max: f(8)}
	for i := 16; i < len(b); i += 16 {
		c := centroid{f(i), f(i + 8)}
		t.centroids = append(t.centroids, c)
		t.total += c.weight
	}
	return t, nil
}
