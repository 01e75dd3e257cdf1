package memory

import (
	"os"
	"path/filepath"
	"testing"
)

// The mountinfo lines of the layouts below (fields after the mount
// point elided to what the parser reads).
const (
	v1Mounts = "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n" +
		"31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n" +
		"34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n" +
		"40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
	v2Mounts = "25 30 0:23 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n"
	// A container without a cgroup namespace: the host's cgroup bind
	// mounted, so its root is the container's cgroup.
	v1Docker = "600 590 0:31 /docker/abc /sys/fs/cgroup/memory ro,nosuid master:14 - cgroup cgroup rw,memory\n"
	// A mount point with a space, escaped as mountinfo does.
	v2Spaced = `25 30 0:23 / /srv/cg\040fs rw - cgroup2 cgroup2 rw` + "\n"
)

func TestCgroupLimitAt(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		name      string
		cgroup    string
		mountinfo string
		files     map[string]string // path under root → contents
		want      int64             // 0: none
		wantFile  string
	}{
		{
			name:   "v1 sub-cgroup (this kind of machine): the process's own limit, not the root's",
			cgroup: "4:memory:/process_api/abc\n1:cpu:/\n0::/\n", mountinfo: v1Mounts,
			files: map[string]string{
				"sys/fs/cgroup/memory/memory.limit_in_bytes":                 "9223372036854771712\n",
				"sys/fs/cgroup/memory/process_api/memory.limit_in_bytes":     "9223372036854771712\n",
				"sys/fs/cgroup/memory/process_api/abc/memory.limit_in_bytes": "268435456\n",
			},
			want: 256 * mib, wantFile: "/sys/fs/cgroup/memory/process_api/abc/memory.limit_in_bytes",
		},
		{
			name:   "v1: an ancestor's smaller limit binds",
			cgroup: "4:memory:/nomad/alloc/task\n", mountinfo: v1Mounts,
			files: map[string]string{
				"sys/fs/cgroup/memory/nomad/memory.limit_in_bytes":            "134217728\n",
				"sys/fs/cgroup/memory/nomad/alloc/task/memory.limit_in_bytes": "268435456\n",
			},
			want: 128 * mib, wantFile: "/sys/fs/cgroup/memory/nomad/memory.limit_in_bytes",
		},
		{
			name:   "v1 no limit anywhere",
			cgroup: "4:memory:/a\n", mountinfo: v1Mounts,
			files: map[string]string{
				"sys/fs/cgroup/memory/memory.limit_in_bytes":   "9223372036854771712\n",
				"sys/fs/cgroup/memory/a/memory.limit_in_bytes": "9223372036854771712\n",
			},
		},
		{
			name:   "v1 controller list with memory among others",
			cgroup: "7:cpu,memory:/x\n", mountinfo: "34 30 0:31 / /sys/fs/cgroup/cpu,memory rw - cgroup cgroup rw,cpu,memory\n",
			files: map[string]string{"sys/fs/cgroup/cpu,memory/x/memory.limit_in_bytes": "1048576000\n"},
			want:  1000 * mib, wantFile: "/sys/fs/cgroup/cpu,memory/x/memory.limit_in_bytes",
		},
		{
			name:   "v2 systemd scope under a limited slice",
			cgroup: "0::/user.slice/run-1.scope\n", mountinfo: v2Mounts,
			files: map[string]string{
				"sys/fs/cgroup/user.slice/memory.max":             "536870912\n",
				"sys/fs/cgroup/user.slice/run-1.scope/memory.max": "max\n",
			},
			want: 512 * mib, wantFile: "/sys/fs/cgroup/user.slice/memory.max",
		},
		{
			name:   "v2 own limit smaller than the parent's",
			cgroup: "0::/user.slice/run-1.scope\n", mountinfo: v2Mounts,
			files: map[string]string{
				"sys/fs/cgroup/user.slice/memory.max":             "536870912\n",
				"sys/fs/cgroup/user.slice/run-1.scope/memory.max": "402653184\n",
			},
			want: 384 * mib, wantFile: "/sys/fs/cgroup/user.slice/run-1.scope/memory.max",
		},
		{
			name:   "v2 under a cgroup namespace: the cgroup shows as / and is the mount's root",
			cgroup: "0::/\n", mountinfo: v2Mounts,
			files: map[string]string{"sys/fs/cgroup/memory.max": "1073741824\n"},
			want:  1024 * mib, wantFile: "/sys/fs/cgroup/memory.max",
		},
		{
			name:   "v1 container without a namespace: the mount's root is the cgroup",
			cgroup: "4:memory:/docker/abc\n", mountinfo: v1Docker,
			files: map[string]string{"sys/fs/cgroup/memory/memory.limit_in_bytes": "314572800\n"},
			want:  300 * mib, wantFile: "/sys/fs/cgroup/memory/memory.limit_in_bytes",
		},
		{
			name:   "v1 mount of another subtree: not this process's cgroup",
			cgroup: "4:memory:/elsewhere\n", mountinfo: v1Docker,
			files: map[string]string{"sys/fs/cgroup/memory/memory.limit_in_bytes": "314572800\n"},
		},
		{
			name:   "hybrid: v1 memory limit and an unlimited v2 tree",
			cgroup: "4:memory:/a\n0::/a\n", mountinfo: v1Mounts,
			files: map[string]string{
				"sys/fs/cgroup/memory/a/memory.limit_in_bytes": "209715200\n",
				"sys/fs/cgroup/unified/a/memory.max":           "max\n",
			},
			want: 200 * mib, wantFile: "/sys/fs/cgroup/memory/a/memory.limit_in_bytes",
		},
		{
			name:   "escaped mount point",
			cgroup: "0::/j\n", mountinfo: v2Spaced,
			files: map[string]string{"srv/cg fs/j/memory.max": "104857600\n"},
			want:  100 * mib, wantFile: "/srv/cg fs/j/memory.max",
		},
		{name: "no cgroup files at all (not Linux, or /proc not mounted)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			files := map[string]string{"proc/self/cgroup": tc.cgroup, "proc/self/mountinfo": tc.mountinfo}
			if tc.cgroup == "" && tc.mountinfo == "" {
				files = nil
			}
			for p, text := range tc.files {
				files[p] = text
			}
			for p, text := range files {
				f := filepath.Join(root, p)
				if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, ok := cgroupLimitAt(root)
			if tc.want == 0 {
				if ok {
					t.Fatalf("limit %d from %s, want none", got.Bytes, got.File)
				}
				return
			}
			if !ok || got.Bytes != tc.want || got.File != tc.wantFile {
				t.Fatalf("got %d from %q (found %v), want %d from %q", got.Bytes, got.File, ok, tc.want, tc.wantFile)
			}
		})
	}
}

func TestHardLimitSource(t *testing.T) {
	nomad := func(k string) string {
		if k == "NOMAD_MEMORY_LIMIT" {
			return "512"
		}
		return ""
	}
	none := func(string) string { return "" }
	cg := func(n int64) func() (CgroupLimit, bool) {
		return func() (CgroupLimit, bool) { return CgroupLimit{n, "/cg/memory.max"}, n > 0 }
	}
	for _, tc := range []struct {
		name   string
		env    func(string) string
		cgroup int64
		want   Hard
	}{
		{"neither", none, 0, Hard{}},
		{"Nomad only", nomad, 0, Hard{512 << 20, "NOMAD_MEMORY_LIMIT=512 (MB)"}},
		{"cgroup only", none, 300 << 20, Hard{300 << 20, "cgroup /cg/memory.max"}},
		{"cgroup smaller than Nomad's", nomad, 300 << 20, Hard{300 << 20, "cgroup /cg/memory.max"}},
		{"Nomad's smaller than the cgroup", nomad, 1 << 30, Hard{512 << 20, "NOMAD_MEMORY_LIMIT=512 (MB)"}},
	} {
		if got := hardLimit(tc.env, cg(tc.cgroup)); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
