package testutil

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// binary returns the path of bin/<name> in the repository, running
// `make -C <root> tools-<name>` first. Make does nothing when the binary is
// up to date with its pinned tool module, and builds it when it is missing
// or stale, so a test never runs (or skips on) the wrong version.
func binary(t testing.TB, name string) string {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatalf("testutil: %v", err)
	}
	unlock, err := lockTools(root)
	if err != nil {
		t.Fatalf("testutil: %v", err)
	}
	defer unlock()
	cmd := exec.Command("make", "-s", "-C", root, "tools-"+name)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("testutil: make tools-%s: %v\n%s", name, err, out)
	}
	return filepath.Join(root, "bin", name)
}

// repoRoot walks up from the working directory (a package directory while
// testing) to the directory holding go.mod and the Makefile.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find repository root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			if _, err := os.Stat(filepath.Join(dir, "Makefile")); err != nil {
				return "", fmt.Errorf("find repository root: %s has go.mod but no Makefile", dir)
			}
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("find repository root: no go.mod above the working directory")
		}
		dir = parent
	}
}

// lockTools serializes tool builds: `go test ./...` runs test binaries of
// several packages at once, and two makes writing bin/nomad together would
// waste minutes of CPU on a 2-core machine.
func lockTools(root string) (func(), error) {
	dir := filepath.Join(root, "bin")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("lock tool builds: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, ".tools.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock tool builds: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock tool builds: %w", err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
