package thirdparty

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestWorkspaceCarriesThePatches builds drover in the workspace that
// workspace.sh makes and reads GODEBUG=inittrace: iceberg-go's substrait
// package must allocate next to nothing at init (upstream allocates about
// 32 MB there). Allocation is counted, not timed, so the machine's load
// does not matter.
func TestWorkspaceCarriesThePatches(t *testing.T) {
	dir := t.TempDir()
	mk := exec.Command("sh", "workspace.sh", dir)
	if out, err := mk.CombinedOutput(); err != nil {
		t.Fatalf("workspace.sh: %v\n%s", err, out)
	}
	bin := filepath.Join(dir, "drover")
	build := exec.Command("go", "build", "-o", bin, "github.com/drover-etl/drover/cmd/drover")
	build.Env = append(os.Environ(), "GOWORK="+filepath.Join(dir, "go.work"), "GOFLAGS=")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build in the workspace: %v\n%s", err, out)
	}
	run := exec.Command(bin, "version")
	run.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var stderr bytes.Buffer
	run.Stderr = &stderr
	if err := run.Run(); err != nil {
		t.Fatalf("drover version: %v\n%s", err, stderr.String())
	}
	bytes, ok := initBytes(stderr.String(), "github.com/apache/iceberg-go/table/substrait")
	if !ok {
		t.Fatalf("no inittrace line for iceberg-go/table/substrait in:\n%s", stderr.String())
	}
	if bytes > 1<<20 {
		t.Errorf("iceberg-go/table/substrait allocates %d bytes at init: the patch is not applied", bytes)
	}
}

// initBytes finds pkg's "init PKG @T ms, C ms clock, N bytes, M allocs"
// line and returns N.
func initBytes(trace, pkg string) (int64, bool) {
	sc := bufio.NewScanner(strings.NewReader(trace))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 8 || f[0] != "init" || f[1] != pkg {
			continue
		}
		for i := 1; i < len(f); i++ {
			if strings.TrimSuffix(f[i], ",") == "bytes" {
				n, err := strconv.ParseInt(f[i-1], 10, 64)
				return n, err == nil
			}
		}
	}
	return 0, false
}
