package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// `drover gc --no-nomad` removes a crashed run's shuffle directory and
// says so; without a shuffle directory it refuses to guess.
func TestGCCommand(t *testing.T) {
	root := filepath.Join(t.TempDir(), "shuffle")
	run := filepath.Join(root, "20261207T090000-0badc0de")
	obj := filepath.Join(run, "3f", "s0-m0-a0.arrows")
	if err := os.MkdirAll(filepath.Dir(obj), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(obj, []byte("x"), 0o644)
	os.WriteFile(filepath.Join(run, "_run.json"), []byte(`{"version":1,"run":"20261207T090000-0badc0de"}`), 0o644)
	old := time.Now().Add(-time.Hour)
	for _, p := range []string{obj, filepath.Join(run, "_run.json")} {
		os.Chtimes(p, old, old)
	}
	var out bytes.Buffer
	cmd := gcCmd()
	cmd.SetOut(&out)
	cmd.SetArgs([]string{"--shuffle-dir", root, "--no-nomad", "--older-than", "10m"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "crashed runs cleaned: 1") || !strings.Contains(out.String(), "shuffle objects removed: 1") {
		t.Errorf("output:\n%s", out.String())
	}
	if _, err := os.Stat(run); !os.IsNotExist(err) {
		t.Errorf("the crashed run's directory is still there (%v)", err)
	}
	t.Setenv("DROVER_SHUFFLE_DIR", "")
	cmd = gcCmd()
	cmd.SetArgs([]string{"--no-nomad"})
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), "--shuffle-dir") {
		t.Errorf("without a shuffle dir: %v", err)
	}
}
