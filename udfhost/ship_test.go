package udfhost

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-etl/drover/storage"
)

// TestStageAndFetch ships a binary through an object store (storage/local
// here; S3 in cluster mode): content-addressed, uploaded once, verified on
// the way out, and runnable on the other side.
func TestStageAndFetch(t *testing.T) {
	ctx := context.Background()
	bin := filepath.Join(t.TempDir(), "tool")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\necho hi\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	dest, err := storage.Resolve(ctx, filepath.Join(t.TempDir(), "plugins"))
	if err != nil {
		t.Fatal(err)
	}
	url, sum, err := Stage(ctx, dest, bin)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(url, "/sha256/"+sum) || len(sum) != 64 {
		t.Errorf("staged at %s (sum %s)", url, sum)
	}
	again, _, err := Stage(ctx, dest, bin)
	if err != nil || again != url {
		t.Errorf("second stage: %s, %v", again, err)
	}

	cache := t.TempDir()
	path, err := Fetch(ctx, url, sum, cache)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Mode()&0o100 == 0 || filepath.Base(path) != sum {
		t.Errorf("fetched %s: %v, %v", path, st, err)
	}
	// A cached copy is verified, not trusted.
	if err := os.WriteFile(path, []byte("tampered"), 0o755); err != nil {
		t.Fatal(err)
	}
	if p, err := Fetch(ctx, url, sum, cache); err != nil || p != path {
		t.Fatalf("refetch over a tampered copy: %s, %v", p, err)
	}
	if got, _ := fileSHA256(path); got != sum {
		t.Errorf("the tampered copy was kept")
	}
	// A staged object that does not match its digest never lands.
	if err := os.WriteFile(url, []byte("evil"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Fetch(ctx, url, sum, t.TempDir()); !errors.Is(err, ErrChecksum) {
		t.Errorf("want a checksum error, got %v", err)
	}
}

// TestRemoteBinaryNeedsItsDigest: nothing is trusted on first use.
func TestRemoteBinaryNeedsItsDigest(t *testing.T) {
	ctx := context.Background()
	if _, err := Fetch(ctx, "s3://bucket/plugins/kit", "", t.TempDir()); !errors.Is(err, ErrNoChecksum) {
		t.Errorf("Fetch without a digest: %v", err)
	}
	err := New(Config{CacheDir: t.TempDir()}).Add(ctx, Spec{Name: "kit", Source: "s3://bucket/plugins/kit"})
	if !errors.Is(err, ErrNoChecksum) || !strings.Contains(err.Error(), `plugin "kit"`) {
		t.Errorf("a spec without a digest: %v", err)
	}
}

// TestStagedPluginsStart runs what an executor would: a host from specs
// that name staged objects by URL and digest.
func TestStagedPluginsStart(t *testing.T) {
	ctx := context.Background()
	local := start(t, Config{}, "textkit")
	dest, err := storage.Resolve(ctx, filepath.Join(t.TempDir(), "staged"))
	if err != nil {
		t.Fatal(err)
	}
	specs, err := StageAll(ctx, dest, local.Specs())
	if err != nil {
		t.Fatal(err)
	}
	if specs[0].SHA256 != local.Specs()[0].SHA256 || specs[0].Source == local.Specs()[0].Source {
		t.Fatalf("staged specs %+v", specs)
	}
	// file:// sources are local paths; serve the staged tree as another
	// scheme's URL through Fetch directly, as an executor on S3 would.
	path, err := Fetch(ctx, specs[0].Source, specs[0].SHA256, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	remote, err := Start(ctx, Config{}, []Spec{{Name: "textkit", Source: path, SHA256: specs[0].SHA256}})
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	if out, err := call(remote, "textkit.slug", "Hello World"); err != nil || out != `["hello-world"]` {
		t.Errorf("slug = %s, %v", out, err)
	}
}
