package testutil

import (
	"path/filepath"
	"testing"
)

// Tool returns the path of a pinned command-line tool in bin/ — terraform,
// packer, nomad, consul, minio — building it first with `make
// tools-<name>` like the servers. For terraform and packer that includes
// their locally built providers and plugins; run them with ToolEnv.
func Tool(t testing.TB, name string) string {
	t.Helper()
	return binary(t, name)
}

// ToolEnv returns the variables under which the pinned Terraform and Packer
// find the providers and plugins `make tools` built (the Makefile exports
// the same), with update checks off. These machines point
// TF_CLI_CONFIG_FILE at a file that does not exist; this overrides it.
func ToolEnv(t testing.TB) []string {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatalf("testutil: %v", err)
	}
	return []string{
		"TF_CLI_CONFIG_FILE=" + filepath.Join(root, "bin", "terraform.rc"),
		"PACKER_PLUGIN_PATH=" + filepath.Join(root, "bin", "packer-plugins"),
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
	}
}
