package provision

import (
	"context"
	"os"
	"path/filepath"
	"strings"
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

// sweepCgroups removes the (empty) cgroups that the run's Nomad clients
// made in the host's cgroup tree for their allocations: the client
// containers share it, and a killed client never removes them. Only
// directories named after the run's own allocation IDs are touched. It
// returns how many it removed and how many it could not (still in use).
func sweepCgroups(allocs map[string]bool) (removed, busy int) {
	if len(allocs) == 0 {
		return 0, 0
	}
	dirs, _ := filepath.Glob("/sys/fs/cgroup/*/nomad")
	partitions, _ := filepath.Glob("/sys/fs/cgroup/cpuset/nomad/*")  // cgroup v1: share, reserve
	slices, _ := filepath.Glob("/sys/fs/cgroup/nomad.slice/*.slice") // cgroup v2
	for _, dir := range append(append(dirs, partitions...), slices...) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, ent := range entries {
			id, _, _ := strings.Cut(ent.Name(), ".")
			if !ent.IsDir() || !allocs[id] {
				continue
			}
			if os.Remove(filepath.Join(dir, ent.Name())) == nil { // rmdir: only when empty
				removed++
			} else {
				busy++
			}
		}
	}
	return removed, busy
}
