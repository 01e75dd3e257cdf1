package parquetfmt

import (
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"testing"
)

// encodeHybrid writes vals in the RLE / bit-packed hybrid encoding of
// the given width, choosing RLE for runs of 8 or more equal values and
// bit-packing the rest in whole groups of 8 (the last group padded), as
// writers do.
func encodeHybrid(vals []uint32, width uint) []byte {
	var out []byte
	header := func(h uint64) { out = binary.AppendUvarint(out, h) }
	var lit []uint32
	flush := func() {
		if len(lit) == 0 {
			return
		}
		groups := (len(lit) + 7) / 8
		for len(lit) < groups*8 {
			lit = append(lit, 0)
		}
		header(uint64(groups)<<1 | 1)
		packed := make([]byte, groups*int(width))
		for i, v := range lit {
			for b := range width {
				if v>>b&1 != 0 {
					bit := uint(i)*width + b
					packed[bit/8] |= 1 << (bit % 8)
				}
			}
		}
		out = append(out, packed...)
		lit = lit[:0]
	}
	for i := 0; i < len(vals); {
		j := i
		for j < len(vals) && vals[j] == vals[i] {
			j++
		}
		if j-i >= 8 && len(lit)%8 == 0 {
			flush()
			header(uint64(j-i) << 1)
			for b := 0; b < int(width+7)/8; b++ {
				out = append(out, byte(vals[i]>>(8*b)))
			}
			i = j
			continue
		}
		lit = append(lit, vals[i])
		i++
	}
	flush()
	return out
}

// TestHybridDecode decodes random streams of every width, in random
// steps of get and skip, against the values encoded.
func TestHybridDecode(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for width := uint(0); width <= 32; width++ {
		for trial := range 20 {
			n := 1 + rng.IntN(3000)
			vals := make([]uint32, n)
			max := uint64(1)<<width - 1
			for i := range vals {
				if trial%2 == 0 && i > 0 && rng.IntN(4) != 0 {
					vals[i] = vals[i-1] // runs
				} else if width > 0 {
					vals[i] = uint32(rng.Uint64() & max)
				}
			}
			var h hybrid
			h.reset(encodeHybrid(vals, width), width)
			for at := 0; at < n; {
				k := min(n-at, 1+rng.IntN(50))
				if rng.IntN(3) == 0 {
					if err := h.skip(k); err != nil {
						t.Fatalf("width %d: skip %d at %d: %v", width, k, at, err)
					}
					at += k
					continue
				}
				got := make([]uint32, k)
				if err := h.get(got); err != nil {
					t.Fatalf("width %d: get %d at %d: %v", width, k, at, err)
				}
				for i, v := range got {
					if v != vals[at+i] {
						t.Fatalf("width %d trial %d: value %d is %d, want %d", width, trial, at+i, v, vals[at+i])
					}
				}
				at += k
			}
		}
	}
}

// TestHybridCountOnes counts the 1s of width-1 level streams.
func TestHybridCountOnes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 50 {
		n := 1 + rng.IntN(5000)
		vals := make([]uint32, n)
		for i := range vals {
			if rng.IntN(10) < 7 {
				vals[i] = 1
			}
		}
		var h hybrid
		h.reset(encodeHybrid(vals, 1), 1)
		for at := 0; at < n; {
			k := min(n-at, 1+rng.IntN(700))
			want := 0
			for _, v := range vals[at : at+k] {
				want += int(v)
			}
			got, err := h.countOnes(k, make([]uint32, 64))
			if err != nil || got != want {
				t.Fatalf("count of %d at %d: %d, %v; want %d", k, at, got, err, want)
			}
			at += k
		}
	}
}

// TestHybridCorrupt: streams that end early or carry values wider than
// their width are errBadPage, never a panic.
func TestHybridCorrupt(t *testing.T) {
	for _, c := range []struct {
		name  string
		data  []byte
		width uint
	}{
		{"empty", nil, 3},
		{"zero-length run", []byte{0}, 3},
		{"rle value cut", []byte{8 << 1}, 16},
		{"rle value too wide", []byte{8 << 1, 0xff}, 3},
		{"header cut", []byte{0x80}, 3},
	} {
		var h hybrid
		h.reset(c.data, c.width)
		err := h.get(make([]uint32, 8))
		if !errors.Is(err, errBadPage) {
			t.Errorf("%s: %v, want errBadPage", c.name, err)
		}
	}
}

// FuzzHybrid decodes arbitrary bytes: errors are fine, panics are not.
func FuzzHybrid(f *testing.F) {
	f.Add(encodeHybrid([]uint32{1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0}, 2), uint8(2), uint16(12))
	f.Add([]byte{3, 0xff, 0x12, 0x34}, uint8(5), uint16(40))
	f.Fuzz(func(t *testing.T, data []byte, width uint8, n uint16) {
		var h hybrid
		h.reset(data, uint(width%33))
		dst := make([]uint32, int(n)%4096)
		for i := 0; i < len(dst); i += 7 {
			end := min(len(dst), i+7)
			var err error
			if i%3 == 0 {
				err = h.skip(end - i)
			} else {
				err = h.get(dst[i:end])
			}
			if err != nil {
				return
			}
		}
		if h.width == 1 {
			h.reset(data, 1)
			_, _ = h.countOnes(len(dst), make([]uint32, 16))
		}
	})
}
