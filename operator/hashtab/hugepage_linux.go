package hashtab

import (
	"syscall"
	"unsafe"
)

// hugePage is the size of an x86-64 and arm64 transparent huge page.
const hugePage = 2 << 20

// adviseHuge asks the kernel to back s's whole 2 MiB pages with huge
// pages (madvise MADV_HUGEPAGE; most distributions enable them only where
// asked). A table's slots are fresh memory touched in hash order: with
// 4 KiB pages, faulting them in was most of the cost of growing a table of
// a million keys (14 % of a GROUP BY l_orderkey), and their TLB misses
// slowed every probe. Advice only: an error changes nothing.
func adviseHuge[T any](s []T) {
	if len(s) == 0 {
		return
	}
	size := uintptr(len(s)) * unsafe.Sizeof(s[0])
	if size < 2*hugePage {
		return
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(s)))
	lo := (start + hugePage - 1) &^ (hugePage - 1)
	hi := (start + size) &^ (hugePage - 1)
	if hi > lo {
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, lo, hi-lo, madvHugePage)
	}
}

const madvHugePage = 14 // MADV_HUGEPAGE, linux/mman.h
