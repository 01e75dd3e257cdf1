package commit

import (
	"context"
	"crypto/rand"
	"sort"
	"strings"
	"testing"

	"github.com/drover-etl/drover/internal/testutil"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/storage/s3"
	"github.com/drover-etl/drover/task"
)

const s3Bucket = "commit"

// s3Env is one MinIO server for the deferred-commit tests.
type s3Env struct {
	m *testutil.MinIO
	// small writes with 5 MiB parts, so a test can leave a part on the
	// server cheaply, as an attempt killed mid-file does.
	small *s3.Store
}

// TestDeferredCommitS3 runs the commit protocol against a real MinIO,
// where sink files are written in place and completed at commit.
func TestDeferredCommitS3(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a MinIO server")
	}
	m := testutil.StartMinIO(t)
	m.MakeBucket(t, s3Bucket)
	m.SetEnv(t)
	storage.ResetCache()
	t.Cleanup(storage.ResetCache)
	cfg := s3.ConfigFromEnv()
	cfg.PartSize = 5 << 20
	small, err := s3.New(cfg, s3Bucket)
	if err != nil {
		t.Fatal(err)
	}
	e := &s3Env{m: m, small: small}
	t.Run("WinnersOnly", e.testWinnersOnly)
	t.Run("FailureKeepsPreviousOutput", e.testFailureKeepsPreviousOutput)
	t.Run("LateAttemptStaysInvisible", e.testLateAttemptStaysInvisible)
}

// attempt writes one sink attempt's files the way executor/sink.go does
// and returns its result.
func attempt(t *testing.T, s *Sink, run string, part int, rels ...string) *task.Result {
	t.Helper()
	ctx := context.Background()
	dc := s.out.Store.(storage.DeferredCreator)
	res := &task.Result{ID: task.ID{Partition: part}}
	for _, dir := range rels {
		loc := s.out.Join(dir, FileName(run, part, "csv"))
		w, err := dc.CreateDeferred(ctx, loc.Key)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("x,y\n" + loc.Key + "\n"))
		tok, err := w.Close()
		if err != nil {
			t.Fatal(err)
		}
		res.Deferred = append(res.Deferred, task.DeferredFile{URL: loc.URL(), Token: tok})
	}
	return res
}

// killed starts a file whose attempt dies after sending one part: never
// closed, never reported.
func (e *s3Env) killed(t *testing.T, s *Sink, run string, part int) {
	t.Helper()
	w, err := e.small.CreateDeferred(context.Background(), s.out.Join(FileName(run, part, "csv")).Key)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 6<<20)
	rand.Read(buf)
	if _, err := w.Write(buf); err != nil {
		t.Fatal(err)
	}
}

func prepareS3(t *testing.T, dir string, mode logical.WriteMode, run string) *Sink {
	t.Helper()
	s, err := Prepare(context.Background(), &physical.WriteSpec{Sink: "s", Path: "s3://" + s3Bucket + "/" + dir + "/", Mode: mode}, 0, run)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// objects lists the visible keys under dir, relative to it.
func objects(t *testing.T, dir string) []string {
	t.Helper()
	loc, _ := storage.Resolve(context.Background(), "s3://"+s3Bucket+"/"+dir+"/")
	infos, err := loc.Store.List(context.Background(), loc.Key)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, in := range infos {
		out = append(out, strings.TrimPrefix(in.Key, loc.Key))
	}
	return out
}

// incomplete lists the keys of incomplete uploads under dir (the whole
// bucket is listed: MinIO matches upload prefixes only as whole names).
func (e *s3Env) incomplete(t *testing.T, dir string) []string {
	t.Helper()
	c, err := e.m.Client()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for u := range c.ListIncompleteUploads(context.Background(), s3Bucket, "", true) {
		if u.Err != nil {
			t.Fatal(u.Err)
		}
		if strings.HasPrefix(u.Key, dir+"/") {
			keys = append(keys, u.Key)
		}
	}
	sort.Strings(keys)
	return keys
}

func reported(rs ...*task.Result) []string {
	var out []string
	for _, r := range rs {
		for _, f := range r.Deferred {
			out = append(out, f.URL[strings.LastIndex(f.URL, "/")+1:])
		}
	}
	return out
}

func sameSet(t *testing.T, what string, got, want []string) {
	t.Helper()
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

// testWinnersOnly: partition 0's first attempt failed after writing its
// file, partition 1 ran twice to success (a duplicate), partition 2's
// first attempt was killed mid-file. Only the winners become visible;
// overwrite keeps the old output until the commit; afterwards no upload
// of the run is left, and another run's upload under the same output is
// untouched.
func (e *s3Env) testWinnersOnly(t *testing.T) {
	ctx := context.Background()
	const run, other = "run-winners", "run-concurrent"
	old := prepareS3(t, "winners", logical.ModeOverwrite, "run-old")
	if _, err := old.Commit(ctx, []*task.Result{attempt(t, old, "run-old", 0, "")}); err != nil {
		t.Fatal(err)
	}
	oldVisible := objects(t, "winners")

	s := prepareS3(t, "winners", logical.ModeOverwrite, run)
	attempt(t, s, run, 0, "day=1") // failed after Close: never reported
	win0 := attempt(t, s, run, 0, "day=1", "day=2")
	attempt(t, s, run, 1, "") // duplicate that lost
	win1 := attempt(t, s, run, 1, "")
	e.killed(t, s, run, 2)
	win2 := attempt(t, s, run, 2, "")
	attempt(t, s, other, 0, "") // another run appending beside this one
	sameSet(t, "before commit", objects(t, "winners"), oldVisible)

	res, err := s.Commit(ctx, []*task.Result{win0, win1, win2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Files != 4 {
		t.Errorf("committed %d files, want 4", res.Files)
	}
	var got []string
	for _, k := range objects(t, "winners") {
		got = append(got, k[strings.LastIndex(k, "/")+1:])
	}
	sameSet(t, "after commit", got, append(reported(win0, win1, win2), SuccessMarker, storage.ManifestName))
	left := e.incomplete(t, "winners")
	if len(left) != 1 || !ofRun(other, left[0]) {
		t.Errorf("incomplete uploads left: %v, want only the other run's", left)
	}
}

// testFailureKeepsPreviousOutput: a failed job aborts every upload of the
// run, reported or not, and the previous output stays exactly as it was.
func (e *s3Env) testFailureKeepsPreviousOutput(t *testing.T) {
	ctx := context.Background()
	old := prepareS3(t, "failed", logical.ModeOverwrite, "run-1")
	if _, err := old.Commit(ctx, []*task.Result{attempt(t, old, "run-1", 0, "")}); err != nil {
		t.Fatal(err)
	}
	before := objects(t, "failed")
	s := prepareS3(t, "failed", logical.ModeOverwrite, "run-2")
	attempt(t, s, "run-2", 0, "")
	attempt(t, s, "run-2", 1, "a=1")
	e.killed(t, s, "run-2", 2)
	s.Abort(ctx)
	sameSet(t, "after abort", objects(t, "failed"), before)
	if left := e.incomplete(t, "failed"); len(left) > 0 {
		t.Errorf("incomplete uploads left: %v", left)
	}
	// A commit that fails half way (a winner's upload is gone) takes back
	// what it completed.
	s2 := prepareS3(t, "failed", logical.ModeOverwrite, "run-3")
	good := attempt(t, s2, "run-3", 0, "")
	bad := attempt(t, s2, "run-3", 1, "")
	loc, _ := storage.Resolve(ctx, bad.Deferred[0].URL)
	if err := loc.Store.(storage.DeferredCreator).AbortDeferred(ctx, loc.Key, bad.Deferred[0].Token); err != nil {
		t.Fatal(err)
	}
	if _, err := s2.Commit(ctx, []*task.Result{good, bad}); err == nil {
		t.Fatal("commit with an aborted winner succeeded")
	}
	s2.Abort(ctx)
	sameSet(t, "after failed commit", objects(t, "failed"), before)
	if left := e.incomplete(t, "failed"); len(left) > 0 {
		t.Errorf("incomplete uploads left: %v", left)
	}
}

// testLateAttemptStaysInvisible is zombie fencing: an attempt still
// running when the driver committed (its executor presumed lost) cannot
// make a file visible. Only the driver completes uploads, so whatever the
// zombie writes stays an incomplete upload: one started before the commit
// was aborted by it and can send no more parts; one started after it
// lingers, invisible, until the next cleanup (or a bucket lifecycle rule).
func (e *s3Env) testLateAttemptStaysInvisible(t *testing.T) {
	ctx := context.Background()
	const run = "run-zombie"
	s := prepareS3(t, "zombie", logical.ModeAppend, run)
	win := attempt(t, s, run, 0, "")
	early, err := e.small.CreateDeferred(ctx, s.out.Join(FileName(run, 1, "csv")).Key)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 6<<20)
	if _, err := early.Write(buf); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Commit(ctx, []*task.Result{win}); err != nil {
		t.Fatal(err)
	}
	want := objects(t, "zombie")
	early.Write(buf)
	if _, err := early.Close(); err == nil {
		t.Error("a zombie's upload aborted by the commit still closed")
	}
	attempt(t, s, run, 1, "") // a zombie starting after the commit
	sameSet(t, "after zombies", objects(t, "zombie"), want)
	if left := e.incomplete(t, "zombie"); len(left) != 1 {
		t.Errorf("incomplete uploads: %v, want the late zombie's only", left)
	}
	s.Abort(ctx)
	if left := e.incomplete(t, "zombie"); len(left) > 0 {
		t.Errorf("incomplete uploads left after cleanup: %v", left)
	}
}
