package plugintest

import (
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sync"
	"testing"
)

// Module is the import path the package paths given to Build are under.
const Module = "github.com/drover-etl/drover"

var (
	mu    sync.Mutex
	dir   string
	built = map[string]string{}
)

// Build builds each package (a path below the module: "plugins/textkit")
// and returns the binaries' paths by base name ("textkit"). A build
// failure fails the test: a plugin that does not build is a broken
// example, not a reason to skip.
func Build(t testing.TB, pkgs ...string) map[string]string {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	out := map[string]string{}
	for _, pkg := range pkgs {
		bin, err := build(pkg)
		if err != nil {
			t.Fatal(err)
		}
		out[path.Base(pkg)] = bin
	}
	return out
}

func build(pkg string) (string, error) {
	if bin, ok := built[pkg]; ok {
		return bin, nil
	}
	if dir == "" {
		d, err := os.MkdirTemp("", "drover-plugintest-")
		if err != nil {
			return "", err
		}
		dir = d
	}
	bin := filepath.Join(dir, path.Base(pkg))
	cmd := exec.Command(goTool(), "build", "-o", bin, Module+"/"+pkg)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
	}
	built[pkg] = bin
	return bin, nil
}

// goTool is the go command on PATH (tests run under `go test`, so it is
// there).
func goTool() string { return "go" }

// Cleanup removes the binaries; call it from TestMain after m.Run.
func Cleanup() {
	mu.Lock()
	defer mu.Unlock()
	if dir != "" {
		os.RemoveAll(dir)
	}
	dir, built = "", map[string]string{}
}
