package memory

import (
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"unsafe"
)

const (
	hugePage     = 2 << 20
	madvHugePage = 14 // MADV_HUGEPAGE, linux/mman.h
)

// AdviseHeapHugePages asks the kernel to back the next n bytes of the Go
// heap with transparent huge pages, where the system gives them only to
// memory that asks (transparent_hugepage/enabled = madvise, Ubuntu's and
// Debian's default); the Go runtime never asks for its heap. Drover's
// batches and tables are large, fresh and touched once: with 4 KiB pages
// a query spends much of its time faulting them in (a TPC-H Q21 at SF 1
// took 180,000 faults, 40 % of its CPU as system time, in a VM) and the
// rest missing the TLB; with huge pages it ran in half the CPU.
//
// The runtime gives memory back in address order and maps the heap as it
// grows, each growth a new mapping without the advice. So this allocates
// n bytes once, at start, which the runtime maps in one piece, advises the
// whole mapping, and frees it at once: the heap then grows into advised
// memory, faulted in as huge pages on first touch. Nothing is touched
// here: the memory is returned untouched to the OS before this returns.
// It does nothing where huge pages are always or never used, where the
// kernel does not overcommit (a large mapping could then fail, and the
// runtime would abort), when DROVER_HUGEPAGES=off, or for n under 64 MiB.
// It reports whether it advised.
func AdviseHeapHugePages(n int64, getenv func(string) string) bool {
	if n < 64<<20 || getenv(HugePagesEnv) == "off" {
		return false
	}
	enabled, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || thpMode(string(enabled)) != "madvise" {
		return false
	}
	if mode, err := os.ReadFile("/proc/sys/vm/overcommit_memory"); err != nil || strings.TrimSpace(string(mode)) == "2" {
		return false
	}
	b := make([]byte, n)
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	lo := (start + hugePage - 1) &^ (hugePage - 1)
	hi := (start + uintptr(n)) &^ (hugePage - 1)
	_, _, errno := syscall.Syscall(syscall.SYS_MADVISE, lo, hi-lo, madvHugePage)
	runtime.KeepAlive(b)
	debug.FreeOSMemory() // collect b and release its pages, still untouched
	return errno == 0
}
