package memcg

import (
	"errors"
	"os/exec"
	"testing"
)

// A command that outgrows its group is OOM-killed and counted as such;
// one that fits is not. Skips, saying why, where cgroups are not
// writable (make test-memcap runs it as root on such a host).
func TestGroupCapsAndCountsOOMKills(t *testing.T) {
	for _, tc := range []struct {
		name   string
		script string
		killed bool
	}{
		// tail holds a "line" of /dev/zero (no newline) whole in memory.
		{"outgrows its cap", "head -c 200000000 /dev/zero | tail -n 1 > /dev/null", true},
		{"fits", "head -c 200000000 /dev/zero > /dev/null", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := New("memcg-test", 64<<20)
			if errors.Is(err, ErrUnavailable) {
				t.Skipf("cgroups are not writable here: %v", err)
			}
			if err != nil {
				t.Fatal(err)
			}
			defer func() {
				if err := g.Remove(); err != nil {
					t.Error(err)
				}
			}()
			err = g.Command(exec.Command("/bin/sh", "-c", tc.script)).Run()
			kills, kerr := g.OOMKills()
			if kerr != nil {
				t.Fatal(kerr)
			}
			if (kills > 0) != tc.killed || (err != nil) != tc.killed {
				t.Fatalf("OOM kills %d, exit %v; want killed %v", kills, err, tc.killed)
			}
			if p := g.Peak(); p <= 0 || p > 64<<20 {
				t.Fatalf("peak %d, want within the 64 MiB cap", p)
			}
		})
	}
}
