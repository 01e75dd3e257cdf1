package sketch

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// HyperLogLog parameters: 2^12 registers give a standard error of
// 1.04/√4096 ≈ 1.6%.
const (
	hllP        = 12
	hllM        = 1 << hllP
	sparseLimit = 512 // distinct hashes kept exactly before going dense
)

// HLL counts distinct 64-bit hashes. Small sets stay sparse (the hashes
// themselves, so their count is exact up to hash collisions); past
// sparseLimit the sketch turns into dense registers.
type HLL struct {
	sparse map[uint64]struct{}
	regs   []uint8 // nil while sparse
}

// NewHLL returns an empty sketch.
func NewHLL() *HLL { return &HLL{sparse: map[uint64]struct{}{}} }

// Add adds one hashed value.
func (h *HLL) Add(hash uint64) {
	if h.regs == nil {
		h.sparse[hash] = struct{}{}
		if len(h.sparse) > sparseLimit {
			h.densify()
		}
		return
	}
	h.addDense(hash)
}

func (h *HLL) addDense(hash uint64) {
	idx := hash >> (64 - hllP)
	rank := uint8(bits.LeadingZeros64(hash<<hllP|1<<(hllP-1))) + 1
	if rank > h.regs[idx] {
		h.regs[idx] = rank
	}
}

func (h *HLL) densify() {
	h.regs = make([]uint8, hllM)
	for x := range h.sparse {
		h.addDense(x)
	}
	h.sparse = nil
}

// Merge adds every hash o has seen.
func (h *HLL) Merge(o *HLL) {
	if o.regs == nil {
		for x := range o.sparse {
			h.Add(x)
		}
		return
	}
	if h.regs == nil {
		h.densify()
	}
	for i, r := range o.regs {
		h.regs[i] = max(h.regs[i], r)
	}
}

// Count estimates the number of distinct hashes added.
func (h *HLL) Count() int64 {
	if h.regs == nil {
		return int64(len(h.sparse))
	}
	sum, zeros := 0.0, 0
	for _, r := range h.regs {
		sum += math.Ldexp(1, -int(r))
		if r == 0 {
			zeros++
		}
	}
	alpha := 0.7213 / (1 + 1.079/hllM)
	est := alpha * hllM * hllM / sum
	if est <= 2.5*hllM && zeros > 0 {
		est = hllM * math.Log(float64(hllM)/float64(zeros)) // linear counting
	}
	return int64(math.Round(est))
}

// String serializes the sketch as base64: 'S' and sorted hashes, or 'D'
// and the registers.
func (h *HLL) String() string {
	var buf []byte
	if h.regs == nil {
		keys := make([]uint64, 0, len(h.sparse))
		for x := range h.sparse {
			keys = append(keys, x)
		}
		slices.Sort(keys)
		buf = append(buf, 'S')
		for _, x := range keys {
			buf = binary.LittleEndian.AppendUint64(buf, x)
		}
	} else {
		buf = append([]byte{'D'}, h.regs...)
	}
	return base64.RawStdEncoding.EncodeToString(buf)
}

// ParseHLL reads String's output.
func ParseHLL(s string) (*HLL, error) {
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil || len(b) == 0 {
		return nil, fmt.Errorf("%w: HyperLogLog of %d bytes", ErrCorrupt, len(s))
	}
	switch {
	case b[0] == 'S' && (len(b)-1)%8 == 0:
		h := NewHLL()
		for i := 1; i < len(b); i += 8 {
			h.Add(binary.LittleEndian.Uint64(b[i:]))
		}
		return h, nil
	case b[0] == 'D' && len(b) == 1+hllM:
		return &HLL{regs: slices.Clone(b[1:])}, nil
	}
	return nil, fmt.Errorf("%w: HyperLogLog of %d bytes", ErrCorrupt, len(s))
}
