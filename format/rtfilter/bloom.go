package rtfilter

// bloom is a split-block Bloom filter (as Parquet's and Impala's): each
// key sets one bit in each of the 8 words of one 256-bit block, so a
// lookup touches one cache line.
type bloom struct {
	blocks [][8]uint32
}

// bloomBitsPerKey sizes the filter: about 0.1-0.5% false positives.
const bloomBitsPerKey = 16

var salts = [8]uint32{0x47b6137b, 0x44974d91, 0x8824ad5b, 0xa2b7289d,
	0x705495c7, 0x2df1424b, 0x9efc4947, 0x5c6bfb31}

func newBloom(keys int) *bloom {
	n := max(1, (keys*bloomBitsPerKey+255)/256)
	return &bloom{blocks: make([][8]uint32, n)}
}

// block picks a block by the hash's high half (multiply-shift, no modulo).
func (b *bloom) block(h uint64) *[8]uint32 {
	return &b.blocks[(h>>32)*uint64(len(b.blocks))>>32]
}

func (b *bloom) insert(h uint64) {
	blk := b.block(h)
	k := uint32(h)
	for i, s := range salts {
		blk[i] |= 1 << ((k * s) >> 27)
	}
}

func (b *bloom) has(h uint64) bool {
	blk := b.block(h)
	k := uint32(h)
	for i, s := range salts {
		if blk[i]&(1<<((k*s)>>27)) == 0 {
			return false
		}
	}
	return true
}
