package provision

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func contextWithTimeout(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}

// sweep removes every container, network and volume carrying the label,
// and the image (run.sh does the same when the test binary itself dies).
func sweep(ctx context.Context, label, image string) {
	docker := func(args ...string) []string {
		out, _ := run(ctx, cmdOpts{}, "docker", args...)
		return strings.Fields(out)
	}
	if ids := docker("ps", "-aq", "--filter", "label="+label); len(ids) > 0 {
		docker(append([]string{"rm", "-f", "-v"}, ids...)...)
	}
	if ids := docker("network", "ls", "-q", "--filter", "label="+label); len(ids) > 0 {
		docker(append([]string{"network", "rm"}, ids...)...)
	}
	if ids := docker("volume", "ls", "-q", "--filter", "label="+label); len(ids) > 0 {
		docker(append([]string{"volume", "rm", "-f"}, ids...)...)
	}
	if image != "" {
		docker("image", "rm", "-f", image)
	}
}

// killAllocCgroups kills every process in the host-tree cgroups of the
// given allocations (cgroup v2: cgroup.kill; v1: each PID of
// cgroup.procs) and returns how many cgroups it signalled.
func killAllocCgroups(allocs map[string]bool) int {
	n := 0
	for _, dir := range allocCgroups(allocs) {
		if os.WriteFile(filepath.Join(dir, "cgroup.kill"), []byte("1"), 0o644) == nil {
			n++
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, "cgroup.procs"))
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(b)) {
			if pid, err := strconv.Atoi(f); err == nil {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
		n++
	}
	return n
}

// allocCgroups are the host-tree cgroup directories of the allocations.
func allocCgroups(allocs map[string]bool) []string {
	dirs, _ := filepath.Glob("/sys/fs/cgroup/*/nomad")
	partitions, _ := filepath.Glob("/sys/fs/cgroup/cpuset/nomad/*")  // cgroup v1: share, reserve
	slices, _ := filepath.Glob("/sys/fs/cgroup/nomad.slice/*.slice") // cgroup v2
	var out []string
	for _, dir := range append(append(dirs, partitions...), slices...) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, ent := range entries {
			id, _, _ := strings.Cut(ent.Name(), ".")
			if ent.IsDir() && allocs[id] {
				out = append(out, filepath.Join(dir, ent.Name()))
			}
		}
	}
	return out
}

// sweepCgroups removes the (empty) cgroups that the run's Nomad clients
// made in the host's cgroup tree for their allocations: the client
// containers share it, and a killed client never removes them. Only
// directories named after the run's own allocation IDs are touched. It
// returns how many it removed and how many it could not (still in use).
func sweepCgroups(allocs map[string]bool) (removed, busy int) {
	for _, dir := range allocCgroups(allocs) {
		if os.Remove(dir) == nil { // rmdir: only when empty
			removed++
		} else {
			busy++
		}
	}
	return removed, busy
}
