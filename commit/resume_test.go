package commit

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/storage"
)

// A resumed run (same ID) takes back the lock its dead driver held, even
// though the lock makes the sink look taken; another run still cannot.
func TestResumedRunAdoptsItsLock(t *testing.T) {
	ctx := context.Background()
	out := t.TempDir()
	w := &physical.WriteSpec{Sink: "s", Path: out, Mode: logical.ModeError}
	if _, err := Prepare(ctx, w, 0, "r1"); err != nil {
		t.Fatal(err)
	}
	// The driver dies holding the lock; its resumption prepares again.
	s, err := Prepare(ctx, w, 0, "r1")
	if err != nil {
		t.Fatalf("the resumed run could not take back its lock: %v", err)
	}
	if _, err := Prepare(ctx, w, 0, "r2"); !errors.Is(err, ErrLocked) {
		t.Fatalf("another run: %v, want ErrLocked", err)
	}
	win := stage(t, s, 0, 0, FileName("r1", 0, "csv"))
	if _, err := s.Commit(ctx, staged([]string{win})); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, LockName)); !os.IsNotExist(err) {
		t.Fatalf("the lock outlived the commit: %v", err)
	}
}

// The dead driver moved one of two staged files into place before it
// died; the resumed commit counts it as published and finishes.
func TestResumedCommitAfterPartialPublish(t *testing.T) {
	ctx := context.Background()
	out := t.TempDir()
	w := &physical.WriteSpec{Sink: "s", Path: out, Mode: logical.ModeOverwrite}
	s, err := Prepare(ctx, w, 0, "r1")
	if err != nil {
		t.Fatal(err)
	}
	f0, f1 := FileName("r1", 0, "csv"), FileName("r1", 1, "csv")
	win0, win1 := stage(t, s, 0, 0, f0), stage(t, s, 1, 0, f1)
	if err := os.Rename(win0, filepath.Join(out, f0)); err != nil {
		t.Fatal(err)
	}
	s, err = Prepare(ctx, w, 0, "r1")
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Commit(ctx, staged([]string{win0}, []string{win1}))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"_SUCCESS", storage.ManifestName, f0, f1}
	if got := tree(t, out); strings.Join(got, " ") != strings.Join(sorted(want), " ") || res.Files != 2 {
		t.Fatalf("after the resumed commit: %v (%d files), want %v", got, res.Files, sorted(want))
	}
}

// The dead driver got past the commit point (its manifest written) but
// not to _SUCCESS nor the removal of the overwritten version: the resumed
// commit finishes those and publishes nothing twice.
func TestResumedCommitAfterTheManifest(t *testing.T) {
	ctx := context.Background()
	out := t.TempDir()
	w := &physical.WriteSpec{Sink: "s", Path: out, Mode: logical.ModeOverwrite}
	old, err := Prepare(ctx, w, 0, "r0")
	if err != nil {
		t.Fatal(err)
	}
	oldFile := FileName("r0", 0, "csv")
	if _, err := old.Commit(ctx, staged([]string{stage(t, old, 0, 0, oldFile)})); err != nil {
		t.Fatal(err)
	}
	s, err := Prepare(ctx, w, 0, "r1")
	if err != nil {
		t.Fatal(err)
	}
	newFile := FileName("r1", 0, "csv")
	winners := staged([]string{stage(t, s, 0, 0, newFile)})
	// The dead driver's commit up to its manifest.
	prev, _ := storage.ReadManifest(ctx, s.out)
	published, err := s.publish(ctx, winners)
	if err != nil {
		t.Fatal(err)
	}
	next, err := s.nextManifest(ctx, prev, nil, published)
	if err == nil {
		err = s.writeManifest(ctx, prev, next)
	}
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(out, SuccessMarker))
	s, err = Prepare(ctx, w, 0, "r1")
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Commit(ctx, winners)
	if err != nil {
		t.Fatal(err)
	}
	want := sorted([]string{"_SUCCESS", storage.ManifestName, newFile})
	if got := tree(t, out); strings.Join(got, " ") != strings.Join(want, " ") || !res.Committed || res.Files != 1 {
		t.Fatalf("after the resumed commit: %v (%+v), want %v", got, res, want)
	}
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}
