package shuffle

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// cappedAllocator refuses any single allocation above limit. arrow-go
// sizes buffers by lengths read from the object (and reads buffer
// descriptors past the end of their vector), so a corrupt object could ask
// for terabytes; its reader turns this panic into an error.
type cappedAllocator struct {
	memory.Allocator
	limit int64
}

var _ memory.Allocator = cappedAllocator{}

// partitionAllocator caps allocations for a partition of n bytes at what
// LZ4 can expand them to.
func partitionAllocator(n int64) cappedAllocator {
	return cappedAllocator{Allocator: memory.DefaultAllocator, limit: lz4MaxRatio*n + 1<<20}
}

func (a cappedAllocator) Allocate(size int) []byte {
	a.check(size)
	return a.Allocator.Allocate(size)
}

func (a cappedAllocator) Reallocate(size int, b []byte) []byte {
	a.check(size)
	return a.Allocator.Reallocate(size, b)
}

func (a cappedAllocator) check(size int) {
	if int64(size) > a.limit {
		panic(fmt.Sprintf("shuffle: corrupt object: a buffer of %d bytes in a partition that can hold at most %d", size, a.limit))
	}
}
