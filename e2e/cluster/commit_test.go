package cluster

import (
	"context"
	"errors"
	"fmt"
	"github.com/drover-etl/drover/adaptive"
	"io"
	"path"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/internal/testutil"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/task"
)

// chaos misbehaves on first attempts of sink tasks the way a cluster
// can: partition 0 finishes but its answer is lost (the driver retries),
// partition 1 runs twice at once and both succeed (a duplicate), the
// partition in fatal writes its files and then fails the job. Partition
// 3's spec is kept, with a copy of its inputs taken when its stage ends,
// so a test can replay it after the commit as a zombie attempt (one on an
// executor presumed lost) would.
type chaos struct {
	task.Executor
	recorder
	fatal int
	mu    sync.Mutex
	late  *task.Spec
}

// StageDone runs before the commit and the shuffle cleanup: it copies the
// late attempt's inputs where the cleanup will not find them.
func (c *chaos) StageDone(stage int, _ task.Metrics, _ time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.late == nil || c.late.Stage != stage {
		return
	}
	for _, outs := range c.late.Inputs {
		for i := range outs {
			dst := strings.Replace(outs[i].URL, "s3://shuffle/commit/", "s3://shuffle/zombie/", 1)
			if err := copyObject(outs[i].URL, dst); err != nil {
				panic(err)
			}
			outs[i].URL = dst
		}
	}
}

func copyObject(src, dst string) error {
	ctx := context.Background()
	from, err := storage.Resolve(ctx, src)
	if err != nil {
		return err
	}
	f, err := from.Store.Open(ctx, from.Key)
	if err != nil {
		return err
	}
	defer f.Close()
	to, err := storage.Resolve(ctx, dst)
	if err != nil {
		return err
	}
	w, err := to.Store.Create(ctx, to.Key)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, io.NewSectionReader(f, 0, f.Size())); err != nil {
		w.Abort()
		return err
	}
	return w.Close()
}

func (c *chaos) Run(ctx context.Context, spec *task.Spec) (*task.Result, error) {
	if spec.Fragment.Op != physical.OpWrite || spec.Attempt > 0 {
		return c.Executor.Run(ctx, spec)
	}
	switch spec.Partition {
	case 0:
		if _, err := c.Executor.Run(ctx, spec); err != nil {
			return nil, err
		}
		return nil, task.AsRetryable(errors.New("chaos: result lost"))
	case 1:
		dup := *spec
		dup.Attempt = 99
		if _, err := c.Executor.Run(ctx, &dup); err != nil {
			return nil, err
		}
	case 3:
		c.mu.Lock()
		late := *spec
		late.Inputs = map[int][]task.MapOutput{}
		for st, outs := range spec.Inputs {
			late.Inputs[st] = append([]task.MapOutput(nil), outs...)
		}
		c.late = &late
		c.mu.Unlock()
	case c.fatal:
		if _, err := c.Executor.Run(ctx, spec); err != nil {
			return nil, err
		}
		return nil, task.AsFatal(errors.New("chaos: fatal after writing"))
	}
	return c.Executor.Run(ctx, spec)
}

// TestS3SinkCommitsWinningAttemptsOnly runs the S3-in, S3-out job with
// failed, duplicated and zombie sink attempts. Sink files go to their
// final keys as deferred multipart uploads: the output must hold exactly
// one file per partition, equal the undisturbed run's, and leave no
// incomplete upload; a zombie replayed after the commit stays invisible;
// a later run that fails leaves that output as it was.
func TestS3SinkCommitsWinningAttemptsOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("integration")
	}
	m := testutil.StartMinIO(t)
	m.SetEnv(t)
	storage.ResetCache()
	t.Cleanup(storage.ResetCache)
	for _, b := range []string{"data", "out", "shuffle"} {
		m.MakeBucket(t, b)
	}
	genDemo(t)
	ctx := context.Background()
	// One task per partition (adaptive execution would coalesce this small
	// job into one task, and the test is about many attempts' files).
	opts := engine.RunOptions{ShuffleDir: "s3://shuffle/commit", Adaptive: adaptive.Config{Disabled: true}}
	if _, err := engine.Run(ctx, compile(t, "ref"), executor.NewLocal(&executor.Runtime{}, 2), opts); err != nil {
		t.Fatal(err)
	}

	c := chaosExecutor(-1)
	opts.Progress = c
	sum, err := engine.Run(ctx, compile(t, "chaos"), c, opts)
	if err != nil {
		t.Fatal(err)
	}
	got, want := readAll(t, "s3://out/chaos/"), readAll(t, "s3://out/ref/")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("output with chaos differs:\n%s\nvs\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	files := visibleParts(t, "s3://out/chaos/")
	if len(files) != sum.Sinks[0].Files || len(files) < 4 {
		t.Fatalf("visible files %v; committed %d", files, sum.Sinks[0].Files)
	}
	noUploads(t, m, "chaos/")
	if len(c.retried) < 2 {
		t.Errorf("sink attempts retried: %v, want the lost result and the lost executor", c.retried)
	}
	t.Logf("committed %v; retried %v", files, c.retried)

	// The zombie: partition 3's first attempt, running again after the
	// commit, writes a file that never becomes visible.
	zombie, err := c.Executor.Run(ctx, c.late)
	if err != nil || len(zombie.Deferred) == 0 {
		t.Fatalf("zombie attempt: %v, %+v", err, zombie)
	}
	if after := visibleParts(t, "s3://out/chaos/"); strings.Join(after, " ") != strings.Join(files, " ") {
		t.Errorf("a zombie attempt changed the output: %v", after)
	}

	// A failing run over the same output leaves it as it was.
	fail := chaosExecutor(4)
	opts.Progress = fail
	if _, err := engine.Run(ctx, compile(t, "chaos"), fail, opts); err == nil || !strings.Contains(err.Error(), "fatal after writing") {
		t.Fatalf("run with a fatal sink task: %v", err)
	}
	if after := visibleParts(t, "s3://out/chaos/"); strings.Join(after, " ") != strings.Join(files, " ") {
		t.Errorf("a failed run changed the output: %v, was %v", after, files)
	}
	if left := uploads(t, m, "chaos/"); len(left) != 1 || path.Base(left[0]) != path.Base(zombie.Deferred[0].URL) {
		t.Errorf("incomplete uploads %v, want only the zombie's", left)
	}
}

// chaosExecutor is a serializing local executor wrapped in chaos; its
// Inject hook also fails partition 2's first sink attempt before it runs.
func chaosExecutor(fatal int) *chaos {
	ex := executor.NewLocal(&executor.Runtime{Name: "chaos"}, 3)
	ex.Serialize = true
	ex.Inject = func(spec *task.Spec) error {
		if spec.Fragment.Op == physical.OpWrite && spec.Partition == 2 && spec.Attempt == 0 {
			return task.AsRetryable(errors.New("chaos: executor lost"))
		}
		return nil
	}
	return &chaos{Executor: ex, fatal: fatal}
}

// visibleParts lists the data files under prefix and fails the test if a
// partition has more than one.
func visibleParts(t *testing.T, prefix string) []string {
	t.Helper()
	locs, err := storage.Expand(context.Background(), prefix)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	seen := map[string]bool{}
	for _, l := range locs {
		name := path.Base(l.Key)
		part := name[:len("part-00000")]
		if seen[part] {
			t.Errorf("partition %s has two visible files", part)
		}
		seen[part] = true
		names = append(names, name)
	}
	return names
}

// uploads lists incomplete uploads under prefix in bucket "out" (the whole
// bucket is listed: MinIO matches upload prefixes only as whole names).
func uploads(t *testing.T, m *testutil.MinIO, prefix string) []string {
	t.Helper()
	c, err := m.Client()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for u := range c.ListIncompleteUploads(context.Background(), "out", "", true) {
		if u.Err != nil {
			t.Fatal(u.Err)
		}
		if strings.HasPrefix(u.Key, prefix) {
			keys = append(keys, u.Key)
		}
	}
	sort.Strings(keys)
	return keys
}

func noUploads(t *testing.T, m *testutil.MinIO, prefix string) {
	t.Helper()
	if left := uploads(t, m, prefix); len(left) > 0 {
		t.Errorf("incomplete uploads left under out/%s: %s", prefix, fmt.Sprint(left))
	}
}
