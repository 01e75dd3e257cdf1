package memory

import (
	"bufio"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// CgroupLimit is the memory limit of the cgroup this process runs in, and
// where it was read.
type CgroupLimit struct {
	Bytes int64
	// File is the memory.max (v2) or memory.limit_in_bytes (v1) file that
	// set it: the process's own cgroup's or an ancestor's.
	File string
}

// cgroupLimit is this process's cgroup memory limit (false: none).
func cgroupLimit() (CgroupLimit, bool) { return cgroupLimitAt("/") }

// cgroupLimitAt finds the memory limit of this process's cgroup under
// root (a fake filesystem root in tests): the cgroup from
// /proc/self/cgroup (v2 "0::/path", v1 "N:memory:/path"), its directory
// from /proc/self/mountinfo (the cgroup fs's mount point and the root it
// shows, "/" under a cgroup namespace), and the smallest limit on the way
// up to the mount point, since an ancestor's limit binds the process too
// (a systemd scope, Nomad's exec driver, a sub-cgroup of a container).
// Both hierarchies count when both are mounted (hybrid systems).
func cgroupLimitAt(root string) (CgroupLimit, bool) {
	paths := selfCgroups(filepath.Join(root, "proc/self/cgroup"))
	mounts := cgroupMounts(filepath.Join(root, "proc/self/mountinfo"))
	var best CgroupLimit
	found := false
	for _, m := range mounts {
		p, ok := paths[m.hierarchy]
		if !ok {
			continue
		}
		rel, ok := cgroupRel(m, p)
		if !ok {
			continue
		}
		if l, ok := smallestUp(filepath.Join(root, m.point), rel, m.file()); ok && (!found || l.Bytes < best.Bytes) {
			best, found = l, true
		}
	}
	if found {
		best.File = strings.TrimPrefix(best.File, filepath.Clean(root))
		if !strings.HasPrefix(best.File, "/") {
			best.File = "/" + best.File
		}
	}
	return best, found
}

// cgroupMount is one mounted cgroup hierarchy that has the memory
// controller: hierarchy "" is v2, "memory" v1.
type cgroupMount struct {
	hierarchy   string
	root, point string
}

func (m cgroupMount) file() string {
	if m.hierarchy == "" {
		return "memory.max"
	}
	return "memory.limit_in_bytes"
}

// selfCgroups reads /proc/self/cgroup: the v2 path under key "", the v1
// memory controller's under "memory".
func selfCgroups(file string) map[string]string {
	out := map[string]string{}
	f, err := os.Open(file)
	if err != nil {
		return out
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), ":", 3)
		if len(parts) != 3 {
			continue
		}
		switch {
		case parts[0] == "0" && parts[1] == "":
			out[""] = parts[2]
		case hasField(parts[1], "memory"):
			out["memory"] = parts[2]
		}
	}
	return out
}

// cgroupMounts reads the cgroup mounts of mountinfo: "id parent dev root
// point opts [optional...] - fstype source superopts".
func cgroupMounts(file string) []cgroupMount {
	f, err := os.Open(file)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []cgroupMount
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		sep := -1
		for i, f := range fields {
			if f == "-" {
				sep = i
				break
			}
		}
		if sep < 5 || sep+3 > len(fields) {
			continue
		}
		m := cgroupMount{root: unescape(fields[3]), point: unescape(fields[4])}
		switch fstype := fields[sep+1]; {
		case fstype == "cgroup2":
		case fstype == "cgroup" && hasField(fields[sep+3], "memory"):
			m.hierarchy = "memory"
		default:
			continue
		}
		out = append(out, m)
	}
	return out
}

// cgroupRel is the cgroup at path p (as /proc/self/cgroup shows it)
// relative to m's mount point: false when the mount shows another subtree.
func cgroupRel(m cgroupMount, p string) (string, bool) {
	p, r := path.Clean(p), path.Clean(m.root)
	if r == "/" {
		return p, true
	}
	rel, ok := strings.CutPrefix(p, r)
	if !ok || (rel != "" && !strings.HasPrefix(rel, "/")) {
		return "", false
	}
	return rel, true
}

// smallestUp reads name in top/rel and in each parent up to top (the
// mount point) and returns the smallest limit set.
func smallestUp(top, rel, name string) (CgroupLimit, bool) {
	var best CgroupLimit
	found := false
	for r := path.Clean("/" + rel); ; r = path.Dir(r) {
		f := filepath.Join(top, r, name)
		if n, ok := readLimit(f); ok && (!found || n < best.Bytes) {
			best, found = CgroupLimit{Bytes: n, File: f}, true
		}
		if r == "/" {
			return best, found
		}
	}
}

// readLimit parses a limit file: a byte count, "max" (none), or v1's
// page-rounded int64 maximum (none).
func readLimit(file string) (int64, bool) {
	b, err := os.ReadFile(file)
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil || n <= 0 || n >= 1<<60 {
		return 0, false
	}
	return n, true
}

func hasField(list, name string) bool {
	for _, f := range strings.Split(list, ",") {
		if f == name {
			return true
		}
	}
	return false
}

// unescape undoes mountinfo's octal escapes of space, tab, newline and
// backslash ("\040").
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
