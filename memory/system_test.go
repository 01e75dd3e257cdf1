package memory

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
)

func TestMemTotal(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, text string
		want       int64
		wantErr    bool
	}{
		{"ok", "MemFree: 10 kB\nMemTotal:       16384 kB\n", 16384 << 10, false},
		{"missing", "MemFree: 10 kB\n", 0, true},
		{"garbled", "MemTotal: lots kB\n", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, tc.name)
			if err := os.WriteFile(p, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := memTotal(p)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Fatalf("memTotal = %d, %v; want %d, error %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestNomadBytes(t *testing.T) {
	for _, tc := range []struct {
		env     string
		want    int64
		wantErr bool
	}{
		{"", 0, false},
		{"1024", 1 << 30, false},
		{"-5", 0, true},
		{"lots", 0, true},
	} {
		got, err := NomadBytes(func(string) string { return tc.env })
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Fatalf("NomadBytes(%q) = %d, %v; want %d, error %v", tc.env, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestSystemBytesIsPositive(t *testing.T) {
	n, err := SystemBytes()
	if err != nil || n <= 0 {
		t.Fatalf("SystemBytes = %d, %v", n, err)
	}
	if b := Budget(n); b <= 0 || b >= n {
		t.Fatalf("Budget(%d) = %d", n, b)
	}
}

func TestSetRuntimeLimit(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(old) })
	noEnv := func(string) string { return "" }
	if got := SetRuntimeLimit(600<<20, 0, noEnv); got != 900<<20 || debug.SetMemoryLimit(-1) != 900<<20 {
		t.Fatalf("limit %d, runtime %d; want 900 MiB (the allowance a 600 MiB budget is cut from, less a tenth)", got, debug.SetMemoryLimit(-1))
	}
	if got := SetRuntimeLimit(512<<10, 0, noEnv); got != 512<<10+64<<20 {
		t.Fatalf("a 512 KiB budget gave a %d-byte limit; want the budget plus 64 MiB", got)
	}
	debug.SetMemoryLimit(old)
	operator := func(k string) string {
		if k == "GOMEMLIMIT" {
			return "2GiB"
		}
		return ""
	}
	if got := SetRuntimeLimit(600<<20, 1<<30, operator); got != 0 || debug.SetMemoryLimit(-1) != old {
		t.Fatalf("an operator's GOMEMLIMIT was overridden: %d", got)
	}
}

func TestRuntimeLimit(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		name         string
		budget, hard int64
		want         int64
	}{
		{"no hard limit: the allowance less a tenth", 600 * mib, 0, 900 * mib},
		{"no hard limit, tiny budget: budget plus 64 MiB", 512 << 10, 0, 512<<10 + 64*mib},
		// 512 MiB executor: budget 60 %; 150 % of it (~460 MiB) would
		// leave the non-heap memory under 52 MiB, so hard − 96 MiB.
		{"Nomad 512 MiB", Budget(512 * mib), 512 * mib, 416 * mib},
		{"Nomad 768 MiB", Budget(768 * mib), 768 * mib, 672 * mib},
		// From 960 MiB up a tenth is at least 96 MiB, and the formula (the
		// allowance less a tenth) is already that far under the hard limit.
		{"Nomad 4 GiB", Budget(4096 * mib), 4096 * mib, Budget(4096*mib) / BudgetPercent * 90},
		// A budget given by flag beyond the hard limit cannot raise it.
		{"budget above hard", 2048 * mib, 1024 * mib, 1024*mib - 1024*mib/10},
		{"formula under hard", 100 * mib, 1024 * mib, 164 * mib},
		{"absurdly small hard limit", 64 * mib, 100 * mib, 25 * mib},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := RuntimeLimit(tc.budget, tc.hard)
			if got != tc.want {
				t.Fatalf("RuntimeLimit(%d, %d) = %d (%.1f MiB), want %d (%.1f MiB)", tc.budget, tc.hard,
					got, float64(got)/mib, tc.want, float64(tc.want)/mib)
			}
			if tc.hard > 0 && got > tc.hard-min(96*mib, tc.hard/4*3) {
				t.Fatalf("limit %d leaves less than 96 MiB under the hard limit %d", got, tc.hard)
			}
		})
	}
}

func TestHardLimitPrefersNomad(t *testing.T) {
	env := func(k string) string {
		if k == "NOMAD_MEMORY_LIMIT" {
			return "512"
		}
		return ""
	}
	got := HardLimit(env)
	if c, ok := cgroupLimit(); ok && c.Bytes < 512<<20 {
		if got != c.Bytes {
			t.Fatalf("HardLimit = %d, want the smaller cgroup limit %d", got, c.Bytes)
		}
	} else if got != 512<<20 {
		t.Fatalf("HardLimit = %d, want NOMAD_MEMORY_LIMIT's 512 MiB", got)
	}
	if c, ok := cgroupLimit(); !ok && HardLimit(func(string) string { return "" }) != 0 {
		t.Fatal("no Nomad, no cgroup limit: want 0")
	} else if ok && HardLimit(func(string) string { return "" }) != c.Bytes {
		t.Fatal("outside Nomad the cgroup limit is the hard limit")
	}
}
