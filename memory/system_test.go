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
	if got := SetRuntimeLimit(600<<20, noEnv); got != 900<<20 || debug.SetMemoryLimit(-1) != 900<<20 {
		t.Fatalf("limit %d, runtime %d; want 900 MiB (the allowance a 600 MiB budget is cut from, less a tenth)", got, debug.SetMemoryLimit(-1))
	}
	if got := SetRuntimeLimit(512<<10, noEnv); got != 512<<10+64<<20 {
		t.Fatalf("a 512 KiB budget gave a %d-byte limit; want the budget plus 64 MiB", got)
	}
	debug.SetMemoryLimit(old)
	operator := func(k string) string {
		if k == "GOMEMLIMIT" {
			return "2GiB"
		}
		return ""
	}
	if got := SetRuntimeLimit(600<<20, operator); got != 0 || debug.SetMemoryLimit(-1) != old {
		t.Fatalf("an operator's GOMEMLIMIT was overridden: %d", got)
	}
}
