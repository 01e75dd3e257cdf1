package commit

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/task"
)

// wantRead checks what a Drover reader (storage.Expand) sees below dir.
func wantRead(t *testing.T, dir string, want ...string) {
	t.Helper()
	locs, err := storage.Expand(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range locs {
		rel, _ := filepath.Rel(dir, l.URL())
		got = append(got, filepath.ToSlash(rel))
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("readers see %v, want %v", got, want)
	}
}

// commitRun prepares a sink, stages one file per rel for run and commits.
func commitRun(t *testing.T, out string, mode logical.WriteMode, run string, rels ...string) Result {
	t.Helper()
	s, err := Prepare(context.Background(), &physical.WriteSpec{Sink: "s", Path: out, Mode: mode}, 0, run)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, rel := range rels {
		files = append(files, stage(t, s, 0, 0, rel))
	}
	res, err := s.Commit(context.Background(), []*task.Result{{Files: files}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Overwrite replaces what earlier Drover commits wrote, and only that:
// files someone else put in the directory survive every commit, and
// partition directories whose column starts with "_" are replaced too.
func TestOverwriteLeavesForeignFiles(t *testing.T) {
	out := t.TempDir()
	writeFile(t, filepath.Join(out, "notes.txt"), "mine")
	writeFile(t, filepath.Join(out, "keep", "important.csv"), "a,b\n")
	first := FileName("run-1", 0, "csv")
	commitRun(t, out, logical.ModeOverwrite, "run-1", "_p=1/"+first)
	wantRead(t, out, "_p=1/"+first)
	second := FileName("run-2", 0, "csv")
	commitRun(t, out, logical.ModeOverwrite, "run-2", "_p=2/"+second)
	want := []string{"_SUCCESS", "_drover_manifest.json", "_p=2/" + second, "keep/important.csv", "notes.txt"}
	if got := tree(t, out); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("after two overwrites: %v, want %v", got, want)
	}
	wantRead(t, out, "_p=2/"+second)
}

// While a commit publishes, readers keep seeing the previous version: new
// files count only once the manifest names them.
func TestReadersSeeOneVersion(t *testing.T) {
	ctx := context.Background()
	out := t.TempDir()
	old := FileName("run-1", 0, "csv")
	commitRun(t, out, logical.ModeOverwrite, "run-1", old)
	s, err := Prepare(ctx, &physical.WriteSpec{Sink: "s", Path: out, Mode: logical.ModeOverwrite}, 0, "run-2")
	if err != nil {
		t.Fatal(err)
	}
	nu := FileName("run-2", 0, "csv")
	published, err := s.publish(ctx, []*task.Result{{Files: []string{stage(t, s, 0, 0, nu)}}})
	if err != nil || len(published) != 1 {
		t.Fatalf("publish: %v %v", published, err)
	}
	wantRead(t, out, old) // new file in place, manifest not yet written
	prev, _ := storage.ReadManifest(ctx, s.out)
	next, err := s.nextManifest(ctx, prev, nil, published)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.writeManifest(ctx, prev, next); err != nil {
		t.Fatal(err)
	}
	wantRead(t, out, nu)
}

// A manifest naming a file that is gone fails the read loudly instead of
// returning less data.
func TestManifestMissingFileFailsRead(t *testing.T) {
	out := t.TempDir()
	f := FileName("run-1", 0, "csv")
	commitRun(t, out, logical.ModeOverwrite, "run-1", f)
	if err := os.Remove(filepath.Join(out, f)); err != nil {
		t.Fatal(err)
	}
	_, err := storage.Expand(context.Background(), out)
	if !errors.Is(err, storage.ErrNotExist) || !strings.Contains(err.Error(), f) {
		t.Fatalf("got %v, want ErrNotExist naming %s", err, f)
	}
}

func TestCheckPath(t *testing.T) {
	for _, tc := range []struct {
		path string
		ok   bool
	}{
		{"s3://bkt/out", true},
		{"s3://bkt/out/", true},
		{"/tmp/out", true},
		{"out/x", true},
		{"file:///tmp/out", true},
		{"s3://bkt", false},
		{"s3://bkt/", false},
		{"s3://bkt//out", false},
		{"./out/x", false},
		{"a//b", false},
		{"a/./b", false},
		{"a/../b", false},
		{"..", false},
		{"../out", false},
		{"/", false},
		{".", false},
		{"out//", false},
	} {
		err := CheckPath(tc.path)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrUnsafePath)) {
			t.Errorf("CheckPath(%q) = %v, want ok=%v", tc.path, err, tc.ok)
		}
	}
}

// Of concurrent mode = "error" runs exactly one gets to write; a later
// run then finds the output, and a failed run leaves no lock behind.
func TestModeErrorConcurrentRuns(t *testing.T) {
	ctx := context.Background()
	out := t.TempDir()
	const n = 8
	var wg sync.WaitGroup
	sinks := make([]*Sink, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			sinks[i], errs[i] = Prepare(ctx, &physical.WriteSpec{Sink: "s", Path: out, Mode: logical.ModeError}, 0, "run-"+string(rune('a'+i)))
		})
	}
	wg.Wait()
	var winner *Sink
	for i, err := range errs {
		switch {
		case err == nil && winner == nil:
			winner = sinks[i]
		case err == nil:
			t.Fatal("two mode = \"error\" runs both got to write")
		case !errors.Is(err, ErrLocked):
			t.Fatalf("loser: %v, want ErrLocked", err)
		}
	}
	if winner == nil {
		t.Fatal("no run got to write")
	}
	f := stage(t, winner, 0, 0, FileName(winner.run, 0, "csv"))
	if _, err := winner.Commit(ctx, []*task.Result{{Files: []string{f}}}); err != nil {
		t.Fatal(err)
	}
	_, err := Prepare(ctx, &physical.WriteSpec{Sink: "s", Path: out, Mode: logical.ModeError}, 0, "run-late")
	if !errors.Is(err, ErrOutputExists) {
		t.Fatalf("after the commit: %v, want ErrOutputExists", err)
	}
	empty := t.TempDir()
	s, err := Prepare(ctx, &physical.WriteSpec{Sink: "s", Path: empty, Mode: logical.ModeError}, 0, "run-failed")
	if err != nil {
		t.Fatal(err)
	}
	s.Abort(ctx)
	if got := tree(t, empty); len(got) != 0 {
		t.Fatalf("a failed run left %v", got)
	}
}

// A failed run leaves no empty staging directories.
func TestAbortRemovesStagingDirs(t *testing.T) {
	ctx := context.Background()
	out := t.TempDir()
	s, err := Prepare(ctx, &physical.WriteSpec{Sink: "s", Path: out, Mode: logical.ModeOverwrite}, 0, "run-x")
	if err != nil {
		t.Fatal(err)
	}
	stage(t, s, 0, 0, "day=1/"+FileName("run-x", 0, "csv"))
	if err := os.MkdirAll(filepath.Join(out, "_staging", "run-x", "00001-0", "day=2"), 0o755); err != nil {
		t.Fatal(err)
	}
	s.Abort(ctx)
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Fatalf("after abort %s holds %v", out, entries)
	}
}

// CleanRun, after a crash between publishing and the manifest, removes
// the dead run's published files, staging and lock, and keeps the
// committed version and everyone else's files.
func TestCleanRunAfterCrashBeforeManifest(t *testing.T) {
	ctx := context.Background()
	out := t.TempDir()
	kept := FileName("run-1", 0, "csv")
	commitRun(t, out, logical.ModeOverwrite, "run-1", kept)
	writeFile(t, filepath.Join(out, "notes.txt"), "mine")
	s, err := Prepare(ctx, &physical.WriteSpec{Sink: "s", Path: out, Mode: logical.ModeOverwrite}, 0, "run-2")
	if err != nil {
		t.Fatal(err)
	}
	dead := FileName("run-2", 0, "csv")
	if _, err := s.publish(ctx, []*task.Result{{Files: []string{stage(t, s, 1, 0, "p=1/"+dead)}}}); err != nil {
		t.Fatal(err)
	}
	stage(t, s, 2, 0, FileName("run-2", 2, "csv")) // an attempt still staged
	writeFile(t, filepath.Join(out, LockName), `{"run":"run-2"}`)
	// The driver dies here.
	n, err := CleanRun(ctx, out, "run-2")
	if err != nil {
		t.Fatal(err)
	}
	if n.Unpublished != 1 || n.Staged != 1 || n.Locks != 1 {
		t.Errorf("cleaned %+v", n)
	}
	want := []string{"_SUCCESS", "_drover_manifest.json", "notes.txt", kept}
	if got := tree(t, out); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("after CleanRun: %v, want %v", got, want)
	}
}
