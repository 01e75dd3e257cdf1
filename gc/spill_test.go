package gc

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drover-etl/drover/runlease"
)

// Spill objects of executors that spilled to S3 (package spill) lie in
// their run's directory, <root>/<run>/spill/<executor>/<task>/: a crashed
// run's go with it, a live run's stay; a spill root of its own (--temp-dir
// s3://…, no run record) is collected by the age of its newest object.
func TestCollectRemovesSpillObjectsWithTheirRun(t *testing.T) {
	root := t.TempDir()
	old, fresh := time.Hour, time.Second
	rec, _ := json.Marshal(runlease.Record{Version: 1, Job: "j", Run: crashedRun})
	put(t, filepath.Join(root, crashedRun, runlease.RecordName), string(rec), old)
	put(t, filepath.Join(root, crashedRun, "spill", "alloc-1", "2.0.0", "1-sort.arrow"), "x", old)
	put(t, filepath.Join(root, liveRun, runlease.RecordName), `{"version":1,"run":"`+liveRun+`"}`, fresh)
	put(t, filepath.Join(root, liveRun, "spill", "alloc-2", "1.3.0", "4-agg.arrow"), "x", old)
	rep, err := Collect(context.Background(), Options{ShuffleRoot: root, OlderThan: 10 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rep.Runs, ",") != crashedRun || rep.Objects != 1 {
		t.Errorf("report %+v", rep)
	}
	want := []string{liveRun + "/" + runlease.RecordName, liveRun + "/spill/alloc-2/1.3.0/4-agg.arrow"}
	if got := files(t, root); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("root holds %v, want %v", got, want)
	}

	spillRoot := t.TempDir()
	put(t, filepath.Join(spillRoot, crashedRun, "spill", "e", "1.0.0", "1-sort.arrow"), "x", old)
	put(t, filepath.Join(spillRoot, liveRun, "spill", "e", "1.0.0", "1-sort.arrow"), "x", fresh)
	if _, err := Collect(context.Background(), Options{ShuffleRoot: spillRoot, OlderThan: 10 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	want = []string{liveRun + "/spill/e/1.0.0/1-sort.arrow"}
	if got := files(t, spillRoot); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("spill root holds %v, want %v", got, want)
	}
}
