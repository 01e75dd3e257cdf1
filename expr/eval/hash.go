package eval

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"math/bits"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// Digests of a string's UTF-8 bytes: md5, sha1, sha2 and sha256 as
// lower-case hex, crc32 and xxhash64 as int64 (Spark's types).

func init() {
	builders[expr.FnMD5] = rowBuilder("s", strictLift, fixed1(hexDigest(func(b []byte) []byte { s := md5.Sum(b); return s[:] })))
	builders[expr.FnSHA1] = rowBuilder("s", strictLift, fixed1(hexDigest(func(b []byte) []byte { s := sha1.Sum(b); return s[:] })))
	builders[expr.FnSHA256] = rowBuilder("s", strictLift, fixed1(hexDigest(sha256Of)))
	builders[expr.FnSHA2] = rowBuilder("si", strictLift, fixed1(sha2Row))
	builders[expr.FnCRC32] = rowBuilder("s", strictLift, fixed1(func(a []types.Value) (types.Value, error) {
		return i64Val(int64(crc32.ChecksumIEEE([]byte(a[0].S)))), nil
	}))
	builders[expr.FnXXHash64] = rowBuilder("s", strictLift, fixed1(func(a []types.Value) (types.Value, error) {
		return i64Val(int64(XXHash64([]byte(a[0].S), 42))), nil
	}))
}

func sha256Of(b []byte) []byte { s := sha256.Sum256(b); return s[:] }

func hexDigest(sum func([]byte) []byte) rowFn {
	return func(a []types.Value) (types.Value, error) {
		return strVal(hex.EncodeToString(sum([]byte(a[0].S)))), nil
	}
}

// sha2Row: Spark's sha2(s, bits); unsupported bit counts give NULL.
func sha2Row(a []types.Value) (types.Value, error) {
	b := []byte(a[0].S)
	var sum []byte
	switch a[1].I {
	case 0, 256:
		sum = sha256Of(b)
	case 224:
		s := sha256.Sum224(b)
		sum = s[:]
	case 384:
		s := sha512.Sum384(b)
		sum = s[:]
	case 512:
		s := sha512.Sum512(b)
		sum = s[:]
	default:
		return nullVal(), nil
	}
	return strVal(hex.EncodeToString(sum)), nil
}

const (
	xxP1 uint64 = 11400714785074694791
	xxP2 uint64 = 14029467366897019727
	xxP3 uint64 = 1609587929392839161
	xxP4 uint64 = 9650029242287828579
	xxP5 uint64 = 2870177450012600261
)

// XXHash64 is xxHash64 of b with a seed (the reference algorithm). The
// aggregates use it too (approx_count_distinct), so partial states from
// different processes agree.
func XXHash64(b []byte, seed uint64) uint64 {
	n := len(b)
	var h uint64
	if n >= 32 {
		v1, v2, v3, v4 := seed+xxP1+xxP2, seed+xxP2, seed, seed-xxP1
		for len(b) >= 32 {
			v1 = xxRound(v1, binary.LittleEndian.Uint64(b[0:]))
			v2 = xxRound(v2, binary.LittleEndian.Uint64(b[8:]))
			v3 = xxRound(v3, binary.LittleEndian.Uint64(b[16:]))
			v4 = xxRound(v4, binary.LittleEndian.Uint64(b[24:]))
			b = b[32:]
		}
		h = bits.RotateLeft64(v1, 1) + bits.RotateLeft64(v2, 7) + bits.RotateLeft64(v3, 12) + bits.RotateLeft64(v4, 18)
		for _, v := range []uint64{v1, v2, v3, v4} {
			h = (h^xxRound(0, v))*xxP1 + xxP4
		}
	} else {
		h = seed + xxP5
	}
	h += uint64(n)
	for ; len(b) >= 8; b = b[8:] {
		h ^= xxRound(0, binary.LittleEndian.Uint64(b))
		h = bits.RotateLeft64(h, 27)*xxP1 + xxP4
	}
	if len(b) >= 4 {
		h ^= uint64(binary.LittleEndian.Uint32(b)) * xxP1
		h = bits.RotateLeft64(h, 23)*xxP2 + xxP3
		b = b[4:]
	}
	for _, c := range b {
		h ^= uint64(c) * xxP5
		h = bits.RotateLeft64(h, 11) * xxP1
	}
	h ^= h >> 33
	h *= xxP2
	h ^= h >> 29
	h *= xxP3
	h ^= h >> 32
	return h
}

func xxRound(acc, in uint64) uint64 {
	acc += in * xxP2
	return bits.RotateLeft64(acc, 31) * xxP1
}
