package gc

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/drover-etl/drover/runlease"
	_ "github.com/drover-etl/drover/storage/local"
)

const (
	crashedRun = "20261207T090000-0badc0de"
	liveRun    = "20261207T093000-a11ce000"
)

func put(t *testing.T, path, body string, age time.Duration) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(-age)
	if err := os.Chtimes(path, at, at); err != nil {
		t.Fatal(err)
	}
}

func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// fakeReaper stands in for Nomad: it reports jobs and records which the
// collector doomed.
type fakeReaper struct{ jobs []Job }

func (f *fakeReaper) Reap(_ context.Context, doomed func(Job) bool) ([]string, error) {
	var out []string
	for _, j := range f.jobs {
		if doomed(j) {
			out = append(out, j.ID)
		}
	}
	return out, nil
}

// A crashed run's shuffle objects, staged files and lock go, with its
// executor job; a live run, committed output, another run's lock, the
// shared plugins and anything not named like a run stay.
func TestCollectCleansCrashedRunsOnly(t *testing.T) {
	base := t.TempDir()
	root, sink := filepath.Join(base, "shuffle"), filepath.Join(base, "out")
	old, fresh := time.Hour, time.Second
	rec, _ := json.Marshal(runlease.Record{Version: 1, Job: "j", Run: crashedRun, Sinks: []string{"file://" + sink},
		Attempts: []runlease.Attempts{{Stage: 0, Partition: 0, Count: 2}}})
	put(t, filepath.Join(root, crashedRun, runlease.RecordName), string(rec), old)
	put(t, filepath.Join(root, crashedRun, "3f", "s0-m0-a1.arrows"), "x", old)
	put(t, filepath.Join(root, liveRun, runlease.RecordName), `{"version":1,"run":"`+liveRun+`"}`, fresh)
	put(t, filepath.Join(root, liveRun, "3f", "s0-m0-a0.arrows"), "x", fresh)
	put(t, filepath.Join(root, "plugins", "abc"), "bin", old)
	put(t, filepath.Join(sink, "part-00000-old.csv"), "committed", old)
	put(t, filepath.Join(sink, "_staging", crashedRun, "00000-0", "part-00000-x.csv"), "staged", old)
	put(t, filepath.Join(sink, "_staging", liveRun, "00000-0", "part-00000-y.csv"), "staged", fresh)
	put(t, filepath.Join(sink, "_drover_lock"), `{"run":"`+crashedRun+`"}`, old)

	jobs := &fakeReaper{jobs: []Job{
		{ID: "drover-j-crashed-executors", Run: crashedRun, ShuffleDir: root, Submitted: time.Now().Add(-old)},
		{ID: "drover-j-live-executors", Run: liveRun, ShuffleDir: root, Submitted: time.Now().Add(-old)},
		{ID: "drover-j-new-executors", Run: "20261207T093500-00000001", ShuffleDir: root, Submitted: time.Now()},
		{ID: "drover-j-gone-executors", Run: "20261207T080000-00000002", ShuffleDir: root, Submitted: time.Now().Add(-old)},
		{ID: "drover-k-dead-executors", Run: "x", ShuffleDir: "s3://elsewhere/shuffle", Submitted: time.Now().Add(-old), Dead: true},
		{ID: "drover-k-running-executors", Run: "y", ShuffleDir: "s3://elsewhere/shuffle", Submitted: time.Now().Add(-old)},
	}}
	rep, err := Collect(context.Background(), Options{ShuffleRoot: root, OlderThan: 10 * time.Minute, Jobs: jobs})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rep.Runs, ",") != crashedRun || rep.Objects != 1 || rep.Staged != 1 || rep.Locks != 1 {
		t.Errorf("report %+v", rep)
	}
	wantJobs := "drover-j-crashed-executors,drover-j-gone-executors,drover-k-dead-executors"
	if strings.Join(rep.Jobs, ",") != wantJobs {
		t.Errorf("jobs reaped %v, want %s", rep.Jobs, wantJobs)
	}
	want := []string{liveRun + "/3f/s0-m0-a0.arrows", liveRun + "/" + runlease.RecordName, "plugins/abc"}
	if got := files(t, root); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("shuffle root holds %v, want %v", got, want)
	}
	want = []string{"_staging/" + liveRun + "/00000-0/part-00000-y.csv", "part-00000-old.csv"}
	if got := files(t, sink); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("sink holds %v, want %v", got, want)
	}
	if _, err := os.Stat(filepath.Join(root, crashedRun)); !os.IsNotExist(err) {
		t.Errorf("the crashed run's directory is still there (%v)", err)
	}
}

// A stale run being resumed (Keep) is neither cleaned nor its executor
// job reaped: the resuming driver needs both.
func TestCollectKeepsTheRunBeingResumed(t *testing.T) {
	root := filepath.Join(t.TempDir(), "shuffle")
	old := time.Hour
	put(t, filepath.Join(root, crashedRun, runlease.RecordName), `{"version":1,"run":"`+crashedRun+`"}`, old)
	put(t, filepath.Join(root, crashedRun, "_journal", "000000000.json"), `{}`, old)
	jobs := &fakeReaper{jobs: []Job{{ID: "drover-j-crashed-executors", Run: crashedRun, ShuffleDir: root, Submitted: time.Now().Add(-old), Dead: true}}}
	rep, err := Collect(context.Background(), Options{ShuffleRoot: root, OlderThan: 10 * time.Minute, Jobs: jobs, Keep: []string{crashedRun}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Runs) != 0 || len(rep.Jobs) != 0 {
		t.Errorf("collected the kept run: %+v", rep)
	}
	if got := files(t, root); len(got) != 2 {
		t.Errorf("shuffle root holds %v, want the record and the journal", got)
	}
}

// Run IDs a dispatched Nomad job's driver takes from its job ID are runs
// too; other directories are not.
func TestRunDirShapes(t *testing.T) {
	for id, want := range map[string]bool{
		crashedRun: true, "drover-dispatch-dispatch-1733582011-3f2a1b4c": true,
		"plugins": false, "events": false, "drover-dispatch": false, "x-dispatch-12-nothex!": false,
		"drover-nightly-periodic-1733582011": true, "drover-nightly": false, "x-periodic-": false, "x-periodic-12a": false,
	} {
		if got := runDir.MatchString(id); got != want {
			t.Errorf("runDir(%q) = %v, want %v", id, got, want)
		}
	}
}
