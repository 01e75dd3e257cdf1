package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExplainRunsNoPluginCode: explain of a job with a plugin block
// refuses instead of executing the binary; --run-plugins executes it.
func TestExplainRunsNoPluginCode(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "executed")
	bin := filepath.Join(dir, "kit")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\ntouch '"+marker+"'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	job := filepath.Join(dir, "job.hcl")
	os.WriteFile(job, []byte(`job "j" {
  plugin "kit" { source = "`+bin+`" }
  source "in" {
    path   = "`+dir+`/in.csv"
    format = "csv"
  }
  sink "out" {
    from   = "in"
    path   = "`+dir+`/out/"
    format = "csv"
  }
}
`), 0o644)
	out, err := droverCmd(t, nil, "explain", job).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--run-plugins") || !strings.Contains(string(out), "job.hcl:2:") {
		t.Fatalf("explain: err %v, output %q; want a refusal at the plugin block", err, out)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("explain executed the plugin binary")
	}
	out, err = droverCmd(t, nil, "explain", "--run-plugins", job).CombinedOutput()
	if err == nil { // the script is no plugin: it must fail to start
		t.Fatalf("explain --run-plugins succeeded with a fake plugin: %s", out)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Fatalf("explain --run-plugins did not start the plugin: %s", out)
	}
}
