package memcg

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ErrUnavailable means no writable memory cgroup hierarchy was found.
var ErrUnavailable = errors.New("memcg: no writable cgroup memory controller")

// Group is one memory cgroup made for a command.
type Group struct {
	Dir   string
	Limit int64
	v2    bool
}

// v1Root and v2Root are where the hierarchies are mounted on the hosts
// this runs on; tests of other layouts use what they mount.
var (
	v1Root = "/sys/fs/cgroup/memory"
	v2Root = "/sys/fs/cgroup"
)

// New makes a cgroup named name (unique per call: the pid and time are
// appended) capped at limit bytes, swap included where the kernel
// accounts it, so the cap is a kill line rather than a push to swap.
func New(name string, limit int64) (*Group, error) {
	leaf := fmt.Sprintf("%s-%d-%d", name, os.Getpid(), time.Now().UnixNano())
	if fi, err := os.Stat(filepath.Join(v1Root, "memory.limit_in_bytes")); err == nil && !fi.IsDir() {
		g := &Group{Dir: filepath.Join(v1Root, leaf), Limit: limit}
		if err := os.Mkdir(g.Dir, 0o755); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
		}
		if err := g.write("memory.limit_in_bytes", limit); err != nil {
			g.Remove()
			return nil, err
		}
		// memsw (memory + swap) only exists with swap accounting on;
		// its limit must not be below memory's, so it is set after.
		if _, err := os.Stat(filepath.Join(g.Dir, "memory.memsw.limit_in_bytes")); err == nil {
			if err := g.write("memory.memsw.limit_in_bytes", limit); err != nil {
				g.Remove()
				return nil, err
			}
		}
		return g, nil
	}
	ctl, err := os.ReadFile(filepath.Join(v2Root, "cgroup.subtree_control"))
	if err != nil || !hasWord(string(ctl), "memory") {
		return nil, fmt.Errorf("%w (cgroup v1 %s absent; v2 %s does not delegate memory)", ErrUnavailable, v1Root, v2Root)
	}
	g := &Group{Dir: filepath.Join(v2Root, leaf), Limit: limit, v2: true}
	if err := os.Mkdir(g.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	for _, f := range []string{"memory.max", "memory.swap.max"} {
		v := limit
		if f == "memory.swap.max" {
			v = 0
		}
		if err := g.write(f, v); err != nil && f == "memory.max" {
			g.Remove()
			return nil, err
		}
	}
	return g, nil
}

func (g *Group) write(file string, v int64) error {
	if err := os.WriteFile(filepath.Join(g.Dir, file), []byte(strconv.FormatInt(v, 10)), 0o644); err != nil {
		return fmt.Errorf("memcg: %w", err)
	}
	return nil
}

// Command is cmd run inside the group: a shell moves itself into the
// group and then execs cmd, so the process is capped from its first
// allocation.
func (g *Group) Command(cmd *exec.Cmd) *exec.Cmd {
	script := `echo $$ > "$0" && exec "$@"`
	args := append([]string{"-c", script, filepath.Join(g.Dir, "cgroup.procs"), cmd.Path}, cmd.Args[1:]...)
	cmd.Args = append([]string{"/bin/sh"}, args...)
	cmd.Path = "/bin/sh"
	return cmd
}

// OOMKills is how many processes of the group the kernel's OOM killer
// killed (v1 memory.oom_control, v2 memory.events: oom_kill).
func (g *Group) OOMKills() (int64, error) {
	file := "memory.oom_control"
	if g.v2 {
		file = "memory.events"
	}
	b, err := os.ReadFile(filepath.Join(g.Dir, file))
	if err != nil {
		return 0, fmt.Errorf("memcg: %w", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "oom_kill "); ok {
			return strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		}
	}
	return 0, fmt.Errorf("memcg: %s has no oom_kill count (kernel too old to tell)", file)
}

// Peak is the group's peak memory usage in bytes (page cache included,
// which the kernel reclaims before it kills; 0 if unknown).
func (g *Group) Peak() int64 {
	file := "memory.max_usage_in_bytes"
	if g.v2 {
		file = "memory.peak"
	}
	b, err := os.ReadFile(filepath.Join(g.Dir, file))
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return n
}

// Remove deletes the group (its processes must have exited).
func (g *Group) Remove() error {
	var err error
	for range 50 { // the kernel frees an exited task's charge shortly after
		if err = os.Remove(g.Dir); err == nil || os.IsNotExist(err) {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("memcg: %w", err)
}

func hasWord(s, w string) bool {
	for _, f := range strings.Fields(s) {
		if f == w {
			return true
		}
	}
	return false
}
