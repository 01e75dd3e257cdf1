package memory

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
	"unsafe"
)

// Where the system gives huge pages to memory that asks, the heap the
// runtime hands out after the advice lies in a mapping flagged for them
// (VmFlags "hg" in smaps); elsewhere nothing is advised.
func TestAdviseHeapHugePages(t *testing.T) {
	enabled, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	mode := ""
	if err == nil {
		mode = thpMode(string(enabled))
	}
	if AdviseHeapHugePages(256<<20, func(string) string { return "off" }) {
		t.Fatal("advised with DROVER_HUGEPAGES=off")
	}
	hwm := peakResident(t)
	advised := AdviseHeapHugePages(4<<30, func(string) string { return "" })
	// It reserves address space; at most maxTouchedChunks chunks the
	// runtime zeroed are ever resident.
	if grew := peakResident(t) - hwm; grew > (maxTouchedChunks+1)*adviseChunk {
		t.Fatalf("advising 4 GiB raised the peak resident set by %d MiB", grew>>20)
	}
	if mode != "madvise" {
		if advised {
			t.Fatalf("advised with transparent huge pages %q", mode)
		}
		t.Logf("transparent huge pages %q: nothing to advise, as expected", mode)
		return
	}
	if !advised {
		t.Fatal("not advised, with transparent huge pages on madvise")
	}
	b := make([]byte, 32<<20)
	// Its last byte: the first may share a page run with the runtime's
	// first allocations, mapped before the advice.
	addr := uintptr(unsafe.Pointer(unsafe.SliceData(b))) + uintptr(len(b)) - 1
	flags, err := vmFlags(addr)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(" "+flags+" ", " hg ") {
		t.Fatalf("a 32 MiB allocation after the advice lies in a mapping with VmFlags %q, want hg", flags)
	}
	_ = b[0]
}

// peakResident is the process's peak resident set (VmHWM).
func peakResident(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &kb); err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc/self/status")
	return 0
}

// vmFlags is the VmFlags line of the mapping holding addr.
func vmFlags(addr uintptr) (string, error) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return "", err
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		var lo, hi uintptr
		if n, _ := fmt.Sscanf(line, "%x-%x", &lo, &hi); n == 2 && strings.Contains(line, " ") {
			in = lo <= addr && addr < hi
			continue
		}
		if in && strings.HasPrefix(line, "VmFlags:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmFlags:")), nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", fmt.Errorf("no mapping holds %#x", addr)
}
