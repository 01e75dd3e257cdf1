package hashtab

import (
	"encoding/binary"
	"math/bits"

	"github.com/zeebo/xxh3"
)

// wyhash's constants (github.com/wangyi-fudan/wyhash, public domain).
const (
	wyp0 = 0xa0761d6478bd642f
	wyp1 = 0xe7037ed1a0b428db
)

// wymix is the folded 128-bit product of a and b.
func wymix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// HashString hashes p with seed: wyhash's short-input path for up to 32
// bytes (a call-free few multiplications: flags, codes, names), xxh3
// beyond. Hashes live only within one process (tables, spill partitions).
func HashString(p []byte, seed uint64) uint64 {
	n := len(p)
	if n > 32 {
		return xxh3.HashSeed(p, seed)
	}
	seed ^= wyp0
	var a, b uint64
	switch {
	case n > 16:
		seed = wymix(binary.LittleEndian.Uint64(p)^wyp1, binary.LittleEndian.Uint64(p[8:])^seed)
		a, b = binary.LittleEndian.Uint64(p[n-16:]), binary.LittleEndian.Uint64(p[n-8:])
	case n >= 4:
		q := (n >> 3) << 2 // 0 below 8 bytes, 4 from 8 on
		a = uint64(binary.LittleEndian.Uint32(p))<<32 | uint64(binary.LittleEndian.Uint32(p[q:]))
		b = uint64(binary.LittleEndian.Uint32(p[n-4:]))<<32 | uint64(binary.LittleEndian.Uint32(p[n-4-q:]))
	case n > 0:
		a = uint64(p[0])<<16 | uint64(p[n>>1])<<8 | uint64(p[n-1])
	}
	hi, lo := bits.Mul64(a^wyp1, b^seed)
	return wymix(lo^wyp0^uint64(n), hi^wyp1)
}
