package memory

import (
	"bufio"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// BudgetPercent is the share of a process's memory the pool may hand
// out; the rest is for the Go runtime (garbage not yet collected),
// Arrow buffers nobody reserves (batches in flight, decoded pages) and
// the executor's own structures.
const BudgetPercent = 60

// Budget is the pool size for a process allowed total bytes.
func Budget(total int64) int64 { return total / 100 * BudgetPercent }

// SystemBytes is the memory this process may use: its cgroup's limit when
// there is one (containers, Nomad's exec driver), else the machine's RAM.
func SystemBytes() (int64, error) {
	total, err := memTotal("/proc/meminfo")
	if c, ok := cgroupLimit(); ok && (err != nil || c.Bytes < total) {
		return c.Bytes, nil
	}
	return total, err
}

// memTotal reads MemTotal from a meminfo file.
func memTotal(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("memory size: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("memory size: %s: %q: %w", path, sc.Text(), err)
			}
			return kb << 10, nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("memory size: %s: %w", path, err)
	}
	return 0, fmt.Errorf("memory size: %s has no MemTotal line", path)
}

// NomadBytes is the memory limit Nomad gives the task this process runs
// in (NOMAD_MEMORY_LIMIT, MB), or 0 outside Nomad.
func NomadBytes(getenv func(string) string) (int64, error) {
	v := getenv("NOMAD_MEMORY_LIMIT")
	if v == "" {
		return 0, nil
	}
	mb, err := strconv.ParseInt(v, 10, 64)
	if err != nil || mb <= 0 {
		return 0, fmt.Errorf("NOMAD_MEMORY_LIMIT=%q: want a positive number of MB", v)
	}
	return mb << 20, nil
}

// runtimeFloor is the least the soft limit exceeds a budget by.
const runtimeFloor = 64 << 20

// hardHeadroom is the least the soft limit stays below a known hard limit:
// what the process holds outside the Go heap's accounting — the drover
// binary's mapped text (~125 MB on disk) and pages the runtime has not
// returned yet; `drover explain` alone peaks at 79 MiB RSS (bench/SCALE.md).
const hardHeadroom = 96 << 20

// HardLimit is what this process is killed at when it is known: Nomad's
// memory for its task (NOMAD_MEMORY_LIMIT), else its cgroup's limit;
// 0 when neither is set (a machine's RAM is no kill line: it swaps or the
// OOM killer picks among all processes).
func HardLimit(getenv func(string) string) int64 { return HardLimitOf(getenv).Bytes }

// Hard is a hard memory limit (0: none known) and what set it, in words
// for messages.
type Hard struct {
	Bytes  int64
	Source string
}

// HardLimitOf is HardLimit with its source: the smaller of Nomad's memory
// for the task and the process's cgroup limit.
func HardLimitOf(getenv func(string) string) Hard {
	return hardLimit(getenv, cgroupLimit)
}

func hardLimit(getenv func(string) string, cgroup func() (CgroupLimit, bool)) Hard {
	var h Hard
	if n, err := NomadBytes(getenv); err == nil && n > 0 {
		h = Hard{n, "NOMAD_MEMORY_LIMIT=" + getenv("NOMAD_MEMORY_LIMIT") + " (MB)"}
	}
	if c, ok := cgroup(); ok && (h.Bytes == 0 || c.Bytes < h.Bytes) {
		h = Hard{c.Bytes, "cgroup " + c.File}
	}
	return h
}

// RuntimeLimit is the Go runtime's soft memory limit for a pool of budget
// bytes in a process killed at hard bytes (0: unknown). It is the whole
// allowance the budget was cut from (budget is BudgetPercent of it) less
// a tenth, at least the budget plus 64 MiB; and, when the hard limit is
// known, never more than the hard limit less what the heap does not hold
// (goroutine stacks, the runtime's own structures, the binary, memory
// not yet returned to the OS): the larger of 96 MiB and a tenth of it.
// A soft limit past that would let the heap grow until the kernel kills
// the process, where one below it makes the collector work harder first.
func RuntimeLimit(budget, hard int64) int64 {
	// A floor above the budget leaves tiny test budgets the runtime's own
	// few megabytes, so the collector does not run without pause.
	limit := max(budget/BudgetPercent*90, budget+runtimeFloor)
	if hard > 0 {
		// The floor of a quarter of the hard limit keeps an absurdly
		// small hard limit from turning the collector into a busy loop.
		limit = min(limit, max(hard-max(hardHeadroom, hard/10), hard/4))
	}
	return limit
}

// SetRuntimeLimit gives the Go runtime the soft memory limit RuntimeLimit
// computes for a pool of budget bytes in a process killed at hard bytes
// (0: unknown), so the collector runs harder as the process nears what
// Nomad or the cgroup would kill it at, instead of letting garbage double
// the heap (GOGC's default). An operator's GOMEMLIMIT wins. It returns the
// limit set, or 0 when it left it alone.
func SetRuntimeLimit(budget, hard int64, getenv func(string) string) int64 {
	if budget <= 0 || getenv("GOMEMLIMIT") != "" {
		return 0
	}
	limit := RuntimeLimit(budget, hard)
	debug.SetMemoryLimit(limit)
	return limit
}
