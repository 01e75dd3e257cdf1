package hashtab

import "math/bits"

// Mix64 scrambles x so that every bit of the result depends on every bit
// of x (the finalizer of MurmurHash3): integer keys hash through it, and
// a hash is re-mixed with a seed to pick spill partitions independent of
// the table's slots.
func Mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// Partition picks one of n partitions for a key of hash h at a spill or
// partitioning level named by seed; different seeds give independent
// choices, and none of them correlates with the slot h takes in a table.
func Partition(h, seed uint64, n int) int {
	return int(Mix64(h^seed*0x9E3779B97F4A7C15) % uint64(n))
}

// NullHash is the hash of the NULL key in Int64.
const NullHash = 0x6a09e667f3bcc908

// minSlots is a new table's size.
const minSlots = 256

// log2 of a power of two.
func log2(n int) int { return bits.TrailingZeros(uint(n)) }

// full: a table of slots slots may not hold n keys (at most 3/4 full).
func full(n, slots int) bool { return 4*n > 3*slots }
