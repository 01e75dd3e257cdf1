package harness

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	MaybeRunChild() // the harness re-executes the test binary for DuckDB runs
	maybeAllocate()
	os.Exit(m.Run())
}

// droverBinary builds drover and the example plugins (into plugins/
// beside it) from the enclosing repository into a temporary directory,
// unless DROVER_BIN names a binary built by make build.
func droverBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("DROVER_BIN"); bin != "" {
		return bin
	}
	dir := t.TempDir()
	for _, b := range [][]string{
		{"-o", filepath.Join(dir, "drover"), "./cmd/drover"},
		{"-o", filepath.Join(dir, "plugins") + "/", "./plugins/..."},
	} {
		cmd := exec.Command("go", append([]string{"build"}, b...)...)
		cmd.Dir = filepath.Join("..", "..")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %v: %v\n%s", b, err, out)
		}
	}
	return filepath.Join(dir, "drover")
}

// TestEnginesAgreeSF001 runs every query on both engines at SF 0.01 and
// requires matching results (the harness compares every run).
func TestEnginesAgreeSF001(t *testing.T) {
	if testing.Short() {
		t.Skip("runs both engines")
	}
	var log strings.Builder
	cfg := Config{
		Drover: droverBinary(t), QueryDir: filepath.Join("..", "queries"),
		DataRoot: t.TempDir(), ScaleFactor: 0.01, Reps: 1, Threads: 2, Log: &log,
		ProfileDir: t.TempDir(), Timeout: 5 * time.Minute,
	}
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Queries) != len(Queries) {
		t.Fatalf("ran %d queries, want %d", len(rep.Queries), len(Queries))
	}
	for _, q := range rep.Queries {
		if !q.OK() {
			t.Errorf("%s: %s", q.Query.Name, q.Error)
			continue
		}
		if q.Result.Rows == 0 {
			t.Errorf("%s: empty result", q.Query.Name)
		}
		if q.Floor == nil || q.Floor.Single <= 0 {
			t.Errorf("%s: no decode floor", q.Query.Name)
		}
		if fi, err := os.Stat(q.Profile); err != nil || fi.Size() == 0 {
			t.Errorf("%s: no CPU profile (%v)", q.Query.Name, err)
		}
	}
	md, js, err := rep.Write(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{md, js} {
		if _, err := os.Stat(p); err != nil {
			t.Error(err)
		}
	}
	if t.Failed() {
		t.Log(log.String())
	}
}
