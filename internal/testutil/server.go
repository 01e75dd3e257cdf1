package testutil

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// attempts is how often a server is started on fresh ports when another
// process took one of them between FreePort and the server binding it.
const attempts = 3

// launchSpec is one way to run a server: its arguments on chosen ports and
// how to tell that it is ready.
type launchSpec struct {
	args    []string
	env     []string
	ready   func() error
	timeout time.Duration
}

// start builds (if needed) and runs server name, retrying on a port clash.
// build is called once per attempt with a fresh data directory and must
// pick fresh ports. The server is stopped at cleanup; start fails the test
// if it never becomes ready.
func start(t testing.TB, name string, build func(dataDir string) (launchSpec, error)) *proc {
	t.Helper()
	bin := binary(t, name)
	logDir := t.TempDir()
	for i := 1; ; i++ {
		logPath := filepath.Join(logDir, fmt.Sprintf("%s-%d.log", name, i))
		p, err := startOnce(t, name, bin, logPath, build)
		if err == nil {
			return p
		}
		if p != nil && i < attempts && p.logContains("address already in use") {
			p.stop()
			t.Logf("testutil: %s lost a port race, retrying on new ports", name)
			continue
		}
		if p == nil {
			t.Fatalf("testutil: %v", err)
		}
		p.reported = true
		t.Fatalf("testutil: %v; last lines of %s:\n%s", err, logPath, p.tail())
	}
}

// startOnce launches one attempt and registers its cleanup.
func startOnce(t testing.TB, name, bin, logPath string, build func(string) (launchSpec, error)) (*proc, error) {
	dataDir, err := os.MkdirTemp("", "drover-"+name+"-")
	if err != nil {
		return nil, fmt.Errorf("%s data dir: %w", name, err)
	}
	spec, err := build(dataDir)
	if err != nil {
		os.RemoveAll(dataDir)
		return nil, fmt.Errorf("configure %s: %w", name, err)
	}
	p, err := launch(t, name, bin, spec.args, spec.env, logPath)
	if err != nil {
		os.RemoveAll(dataDir)
		return nil, err
	}
	t.Cleanup(func() { p.cleanup(dataDir) })
	return p, p.waitReady(spec.timeout, spec.ready)
}

// cleanup stops the server, shows its log if the test failed and removes
// its data. The data directory lives outside t.TempDir on purpose: should
// a mount under Nomad's alloc dir resist, it is reported rather than
// failing the test through TempDir's own cleanup.
func (p *proc) cleanup(dataDir string) {
	p.stop()
	if p.t.Failed() && !p.reported {
		p.t.Logf("testutil: last lines of %s:\n%s", p.logPath, p.tail())
	}
	if err := unmountUnder(dataDir); err != nil {
		p.t.Logf("testutil: %s data: %v", p.name, err)
	}
	if err := os.RemoveAll(dataDir); err != nil {
		p.t.Logf("testutil: remove %s data: %v", p.name, err)
	}
}
