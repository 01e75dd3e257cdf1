package testutil

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// procInfo is what /proc/<pid>/stat says about one process.
type procInfo struct {
	ppid  int
	start uint64 // start time in clock ticks: tells a process from a reused pid
}

// procTable reads every process's parent and start time.
func procTable() map[int]procInfo {
	table := map[int]procInfo{}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, path := range stats {
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		// Fields after the parenthesized command: state(3) ppid(4) ... starttime(22).
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		pid, err1 := strconv.Atoi(filepath.Base(filepath.Dir(path)))
		ppid, err2 := strconv.Atoi(f[1])
		start, err3 := strconv.ParseUint(f[19], 10, 64)
		if err1 == nil && err2 == nil && err3 == nil && f[0] != "Z" {
			table[pid] = procInfo{ppid: ppid, start: start}
		}
	}
	return table
}

// descendants returns the live processes below root in table.
func descendants(table map[int]procInfo, roots ...int) map[int]procInfo {
	out := map[int]procInfo{}
	children := map[int][]int{}
	for pid, in := range table {
		children[in.ppid] = append(children[in.ppid], pid)
	}
	queue := append([]int(nil), roots...)
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		for _, c := range children[pid] {
			if _, seen := out[c]; !seen {
				out[c] = table[c]
				queue = append(queue, c)
			}
		}
	}
	return out
}

// killSurvivors kills what is left of a server's process tree after the
// server itself has exited. Nomad's task executors start their own
// sessions, so they escape a process-group kill, and are re-parented away
// from the agent when it exits; that is why the tree is snapshotted while
// the agent still lives. Only snapshot processes with the same start time
// (not a reused pid), and their current descendants, are killed.
func killSurvivors(snapshot map[int]procInfo) {
	table := procTable()
	var alive []int
	for pid, in := range snapshot {
		if now, ok := table[pid]; ok && now.start == in.start {
			alive = append(alive, pid)
		}
	}
	victims := descendants(table, alive...)
	for _, pid := range alive {
		victims[pid] = table[pid]
	}
	for pid := range victims {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	waitGone(victims, 5*time.Second)
}

// waitGone waits until the killed processes are gone (or zombies), so the
// data directory is not removed while they still write to it.
func waitGone(victims map[int]procInfo, timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	for len(victims) > 0 && time.Now().Before(deadline) {
		table := procTable()
		for pid, in := range victims {
			if now, ok := table[pid]; !ok || now.start != in.start {
				delete(victims, pid)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
}
