package memory

import (
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unsafe"
)

const (
	hugePage     = 2 << 20
	madvHugePage = 14 // MADV_HUGEPAGE, linux/mman.h
)

// AdviseHeapHugePages asks the kernel to back the next n bytes (at most
// maxAdvise) of the Go heap with transparent huge pages, where the system
// gives them only to memory that asks (transparent_hugepage/enabled =
// madvise, Ubuntu's and Debian's default); the Go runtime never asks for its heap. Drover's
// batches and tables are large, fresh and touched once: with 4 KiB pages
// a query spends much of its time faulting them in (a TPC-H Q21 at SF 1
// took 180,000 faults, 40 % of its CPU as system time, in a VM) and the
// rest missing the TLB; with huge pages it ran in half the CPU.
//
// The runtime reuses memory lowest address first and maps the heap as it
// grows, each growth a new mapping without the advice. So this allocates
// n bytes once per process, at start, in chunks of adviseChunk, advises
// each chunk's mapping, and frees them all: the heap then grows into
// advised memory, faulted in as huge pages on first touch. The runtime
// hands out fresh memory without touching it, but zeroes a chunk placed
// over memory it used before: a chunk whose allocation made the process's
// resident set grow is not advised, and after maxTouchedChunks such
// chunks this stops, so at most that much is ever touched here (and given
// back before this returns). It does nothing where huge pages are always
// or never used, where the kernel does not overcommit (a large mapping
// could then fail, and the runtime would abort), when DROVER_HUGEPAGES=off,
// or for n under 64 MiB. It reports whether it advised anything.
func AdviseHeapHugePages(n int64, getenv func(string) string) bool {
	if n < adviseChunk || getenv(HugePagesEnv) == "off" {
		return false
	}
	enabled, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || thpMode(string(enabled)) != "madvise" {
		return false
	}
	if mode, err := os.ReadFile("/proc/sys/vm/overcommit_memory"); err != nil || strings.TrimSpace(string(mode)) == "2" {
		return false
	}
	adviseOnce.Do(func() { advised = adviseChunks(min(n, maxAdvise)) })
	return advised
}

const (
	adviseChunk      = 64 << 20
	maxAdvise        = 2 << 30 // mapping the heap costs ~10 ms per GiB, paid at start
	maxTouchedChunks = 2
)

var (
	adviseOnce sync.Once
	advised    bool
)

func adviseChunks(n int64) bool {
	// No collection while the chunks pile up: they are all live, and the
	// heap goal of a process just started would run one per chunk.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	var chunks [][]byte
	touched, ok := 0, false
	for left := n; left >= adviseChunk && touched < maxTouchedChunks; left -= adviseChunk {
		before := residentBytes()
		b := make([]byte, adviseChunk)
		chunks = append(chunks, b)
		if residentBytes()-before >= adviseChunk/4 {
			touched++ // zeroed by the runtime: old memory, mapped long ago
			continue
		}
		start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
		lo := (start + hugePage - 1) &^ (hugePage - 1)
		hi := (start + adviseChunk) &^ (hugePage - 1)
		if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, lo, hi-lo, madvHugePage); errno == 0 {
			ok = true
		}
	}
	runtime.KeepAlive(chunks)
	debug.FreeOSMemory() // collect the chunks and release their pages
	return ok
}

// residentBytes is the process's resident set (0 when unknown).
func residentBytes() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return 0
	}
	return pages * int64(os.Getpagesize())
}
