package main

import (
	"context"
	"encoding/base64"
	"os"
	"testing"
)

// TestJobSpecFromEnvIsData: a spec handed over as env:NAME (the driver's
// Nomad job) arrives byte for byte, template and interpolation syntax
// included.
func TestJobSpecFromEnvIsData(t *testing.T) {
	spec := "job \"j\" {\n  # {{ .secret }} {{ with nomadVar \"x\" }}{{ end }} ${NOMAD_TASK_DIR} %{ if true }\n}\n\x00é"
	t.Setenv("DROVER_TEST_SPEC", base64.StdEncoding.EncodeToString([]byte(spec)))
	path, cleanup, err := fetchJobFile(context.Background(), "env:DROVER_TEST_SPEC")
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	got, err := os.ReadFile(path)
	if err != nil || string(got) != spec {
		t.Fatalf("spec = %q, %v; want %q", got, err, spec)
	}
	for _, bad := range []string{"", "not base64!"} {
		t.Setenv("DROVER_TEST_SPEC", bad)
		if _, _, err := fetchJobFile(context.Background(), "env:DROVER_TEST_SPEC"); err == nil {
			t.Errorf("env value %q: no error", bad)
		}
	}
}
