package local

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-etl/drover/storage"
)

func write(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func rels(t *testing.T, dir string, locs []storage.Location) string {
	var out []string
	for _, l := range locs {
		rel, _ := filepath.Rel(dir, l.URL())
		out = append(out, filepath.ToSlash(rel))
	}
	return strings.Join(out, " ")
}

// A directory with a manifest reads as exactly the files it names, hidden
// partition directories included; without one, hidden names are skipped.
func TestExpandHonoursManifest(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "_p=1", "a.csv"), "x\n")
	write(t, filepath.Join(dir, "b.csv"), "x\n")
	write(t, filepath.Join(dir, "notes.txt"), "not data")
	ctx := context.Background()
	for _, tc := range []struct {
		path, manifest, want string
	}{
		{dir, "", "b.csv notes.txt"},
		{dir, `{"version":1,"run":"r","files":[{"path":"_p=1/a.csv"},{"path":"b.csv"}]}`, "_p=1/a.csv b.csv"},
		{filepath.Join(dir, "*.csv"), `{"version":1,"run":"r","files":[{"path":"_p=1/a.csv"}]}`, ""},
		{filepath.Join(dir, "*", "*.csv"), `{"version":1,"run":"r","files":[{"path":"_p=1/a.csv"}]}`, "_p=1/a.csv"},
	} {
		os.Remove(filepath.Join(dir, storage.ManifestName))
		if tc.manifest != "" {
			write(t, filepath.Join(dir, storage.ManifestName), tc.manifest)
		}
		locs, err := storage.Expand(ctx, tc.path)
		if tc.want == "" {
			if !errors.Is(err, storage.ErrNotExist) {
				t.Errorf("%s: got %v, %v; want no files", tc.path, locs, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		if got := rels(t, dir, locs); got != tc.want {
			t.Errorf("%s with manifest %q: %s, want %s", tc.path, tc.manifest, got, tc.want)
		}
	}
}

// A manifest that cannot be trusted fails the read, naming the file.
func TestExpandRefusesBadManifest(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "b.csv"), "x\n")
	for _, m := range []string{
		`{"version":9,"run":"r","files":[]}`,
		`{"version":1,"run":"r","files":[{"path":"../b.csv"}]}`,
		`not json`,
	} {
		write(t, filepath.Join(dir, storage.ManifestName), m)
		_, err := storage.Expand(context.Background(), dir)
		if !errors.Is(err, storage.ErrBadManifest) || !strings.Contains(err.Error(), storage.ManifestName) {
			t.Errorf("manifest %q: got %v, want ErrBadManifest naming the file", m, err)
		}
	}
}

func TestCreateExclusive(t *testing.T) {
	s := New(t.TempDir())
	ctx := context.Background()
	if err := s.CreateExclusive(ctx, "d/lock", []byte("a")); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateExclusive(ctx, "d/lock", []byte("b")); !errors.Is(err, storage.ErrExist) {
		t.Fatalf("second create: %v, want ErrExist", err)
	}
}
