package commit

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	_ "github.com/drover-etl/drover/storage/local"
	"github.com/drover-etl/drover/task"
)

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// tree lists every file under dir, relative, sorted.
func tree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// stage writes a staged file for (partition, attempt) and returns its URL.
func stage(t *testing.T, s *Sink, part, attempt int, rel string) string {
	t.Helper()
	url := StagingKey(s.StagingDir, part, attempt, rel)
	writeFile(t, url, rel)
	return url
}

// staged makes winning results reporting staged files, one per partition.
func staged(files ...[]string) []*task.Result {
	out := make([]*task.Result, len(files))
	for p, fs := range files {
		out[p] = &task.Result{ID: task.ID{Partition: p}, Files: fs}
	}
	return out
}

func TestModeErrorRefusesExistingOutput(t *testing.T) {
	out := t.TempDir()
	writeFile(t, filepath.Join(out, "part-0.csv"), "old")
	_, err := Prepare(context.Background(), &physical.WriteSpec{Sink: "s", Path: out, Mode: logical.ModeError}, 0, "r1")
	if !errors.Is(err, ErrOutputExists) {
		t.Fatalf("want ErrOutputExists, got %v", err)
	}
	// Hidden leftovers (an old staging folder) do not count as output.
	empty := t.TempDir()
	writeFile(t, filepath.Join(empty, "_staging", "x", "f"), "junk")
	if _, err := Prepare(context.Background(), &physical.WriteSpec{Sink: "s", Path: empty, Mode: logical.ModeError}, 0, "r1"); err != nil {
		t.Fatal(err)
	}
}

func TestCommitPromotesWinnersOnlyAndOverwrites(t *testing.T) {
	ctx := context.Background()
	out := t.TempDir()
	// Output of a Drover from before manifests: _SUCCESS and files named
	// by FileName, which overwrite replaces.
	writeFile(t, filepath.Join(out, "day=old", FileName("r0", 0, "csv")), "old")
	writeFile(t, filepath.Join(out, "_SUCCESS"), "")
	s, err := Prepare(ctx, &physical.WriteSpec{Sink: "s", Path: out, Mode: logical.ModeOverwrite}, 0, "r1")
	if err != nil {
		t.Fatal(err)
	}
	win0 := stage(t, s, 0, 1, "day=a/part-00000-x.csv")
	stage(t, s, 0, 0, "day=a/part-00000-loser.csv") // a failed first attempt
	win1 := stage(t, s, 1, 0, "day=b/part-00001-y.csv")
	res, err := s.Commit(ctx, staged([]string{win0}, []string{win1}))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"_SUCCESS", "_drover_manifest.json", "day=a/part-00000-x.csv", "day=b/part-00001-y.csv"}
	if got := tree(t, out); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("after commit: %v, want %v", got, want)
	}
	if res.Files != 2 {
		t.Fatalf("files = %d", res.Files)
	}
}

func TestAbortKeepsPreviousOutput(t *testing.T) {
	ctx := context.Background()
	out := t.TempDir()
	writeFile(t, filepath.Join(out, "part-00000-old.parquet"), "old")
	writeFile(t, filepath.Join(out, "_SUCCESS"), "")
	s, err := Prepare(ctx, &physical.WriteSpec{Sink: "s", Path: out, Mode: logical.ModeOverwrite}, 0, "r2")
	if err != nil {
		t.Fatal(err)
	}
	stage(t, s, 0, 0, "part-00000-new.parquet")
	s.Abort(ctx)
	want := []string{"_SUCCESS", "part-00000-old.parquet"}
	if got := tree(t, out); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("after abort: %v, want %v", got, want)
	}
}

func TestAppendKeepsOldFiles(t *testing.T) {
	ctx := context.Background()
	out := t.TempDir()
	writeFile(t, filepath.Join(out, "part-00000-old.csv"), "old")
	s, err := Prepare(ctx, &physical.WriteSpec{Sink: "s", Path: out, Mode: logical.ModeAppend}, 0, "r3")
	if err != nil {
		t.Fatal(err)
	}
	f := stage(t, s, 0, 0, "part-00000-new.csv")
	if _, err := s.Commit(ctx, staged([]string{f})); err != nil {
		t.Fatal(err)
	}
	want := []string{"_SUCCESS", "_drover_manifest.json", "part-00000-new.csv", "part-00000-old.csv"}
	if got := tree(t, out); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("after append: %v, want %v", got, want)
	}
	// The old file was there before Drover's first manifest: adopted, so
	// readers still see it, and a later overwrite will not delete it.
	wantRead(t, out, "part-00000-new.csv", "part-00000-old.csv")
}

// A commit that cannot publish every winner (here a staged file vanished)
// takes back what it published: the previous output, _SUCCESS included,
// is as it was.
func TestFailedPublishRestoresPreviousOutput(t *testing.T) {
	ctx := context.Background()
	out := t.TempDir()
	writeFile(t, filepath.Join(out, "part-00000-old.csv"), "old")
	writeFile(t, filepath.Join(out, "_SUCCESS"), "")
	s, err := Prepare(ctx, &physical.WriteSpec{Sink: "s", Path: out, Mode: logical.ModeOverwrite}, 0, "r4")
	if err != nil {
		t.Fatal(err)
	}
	win0 := stage(t, s, 0, 0, "part-00000-new.csv")
	gone := StagingKey(s.StagingDir, 1, 0, "part-00001-gone.csv")
	if _, err := s.Commit(ctx, staged([]string{win0}, []string{gone})); err == nil {
		t.Fatal("commit of a missing staged file succeeded")
	}
	s.Abort(ctx)
	want := []string{"_SUCCESS", "part-00000-old.csv"}
	if got := tree(t, out); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("after failed commit: %v, want %v", got, want)
	}
}

func TestFileNameCarriesRunTag(t *testing.T) {
	a := FileName("20261120T101500-1a2b3c4d", 3, "parquet")
	b := FileName("20261120T101500-1a2b3c4d", 3, "parquet")
	if a == b || !strings.HasPrefix(a, "part-00003-") || !strings.HasSuffix(a, ".parquet") || len(a) != len("part-00003-")+36+len(".parquet") {
		t.Fatalf("FileName = %q, %q: want distinct part-00003-<uuid>.parquet", a, b)
	}
	if !ofRun("20261120T101500-1a2b3c4d", "out/day=1/"+a) || ofRun("20261120T101500-9f9f9f9f", "out/"+a) {
		t.Errorf("ofRun does not tell runs apart for %q", a)
	}
	if ofRun("r", "out/_SUCCESS") || ofRun("r", "out/"+runTag("r")) {
		t.Error("ofRun accepts a name FileName cannot make")
	}
}
