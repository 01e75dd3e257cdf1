package cluster

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/drover-etl/drover/cluster"
	"github.com/drover-etl/drover/eventlog"
	"github.com/drover-etl/drover/journal"
	"github.com/drover-etl/drover/storage"
)

// TestSubmitKilledThenResumed SIGKILLs `drover submit` once its journal
// holds finished tasks, then `drover submit --resume RUN` finishes the run:
// the same executor job is re-used, no task the dead driver finished runs
// again (each is reported reused), and the output equals a local run's.
// The job calls now() (in a filter every row passes): its plan holds the
// instant it was planned at, so the resume works only because the
// resumed driver plans at the journaled instant.
func TestSubmitKilledThenResumed(t *testing.T) {
	e := setup(t)
	genDemo(t)
	job := filepath.Join(t.TempDir(), "job.hcl")
	withNow := strings.Replace(jobHCL, "GROUP BY c.country", "WHERE o.ordered_at < now()\n      GROUP BY c.country", 1)
	if withNow == jobHCL {
		t.Fatal("the job has no GROUP BY to put a now() filter before")
	}
	os.WriteFile(job, []byte(withNow), 0o644)
	if out, err := exec.Command(e.binary, "run", job, "--var", "name=resume-local").CombinedOutput(); err != nil {
		t.Fatalf("drover run: %v\n%s", err, out)
	}
	args := []string{"submit", job, "--var", "name=resume-cluster", "--executors", "2", "--executor-memory", "256", "--executor-cpu", "100",
		"--shuffle-dir", "s3://shuffle/resume", "--executor-binary", e.binary, "--ui-addr", "off",
		"--executor-arg=--chaos-task-delay=1s"} // slow enough to kill mid-job

	first := exec.Command(e.binary, args...)
	first.Env = os.Environ()
	stderr := &lockedBuffer{}
	first.Stderr = stderr
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { first.Wait(); close(exited) }()
	run := waitJournaledTasks(t, exited, stderr, 2)
	first.Process.Signal(syscall.SIGKILL)
	<-exited
	done := journaledTasks(t, run, "resume")
	partsAtKill := len(list(t, "s3://shuffle/events/"+run+"/"))
	jobID := cluster.ExecutorJobID("s3etl", run)
	nc := nomadClient(t)
	if j, _, err := nc.Jobs().Info(jobID, nil); err != nil || *j.Status == "dead" {
		t.Fatalf("the dead driver's executor job %s is not running: %v", jobID, err)
	}

	resume := exec.Command(e.binary, append(args[:len(args)-1], "--resume", run)...)
	resume.Env = os.Environ()
	out, err := resume.CombinedOutput()
	if err != nil {
		t.Fatalf("drover submit --resume: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "re-using the run's executors (Nomad job "+jobID+")") {
		t.Errorf("the resumed driver did not re-use the executor job:\n%s", out)
	}
	if !strings.Contains(string(out), "reused from the journal") {
		t.Errorf("the resumed driver did not report the tasks it reused:\n%s", out)
	}
	got, want := withoutHeaders(readAll(t, "s3://out/resume-cluster/")), withoutHeaders(readAll(t, "s3://out/resume-local/"))
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("resumed output differs from run:\n%s\nvs\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	started := startedAfter(t, run, partsAtKill)
	if len(started) == 0 {
		t.Fatal("the resumed driver started no task: its event log is missing")
	}
	for k := range done {
		if started[k] {
			t.Errorf("task %d.%d finished before the kill but ran again", k.Stage, k.Partition)
		}
	}
	if left := list(t, "s3://shuffle/resume/"+run+"/"); len(left) != 0 {
		t.Errorf("the resumed run left %d shuffle objects: %v", len(left), left)
	}
	assertNoDroverJobs(t, nc)
}

var runIDLine = regexp.MustCompile(`event log: s3://shuffle/events/([0-9]{8}T[0-9]{6}-[0-9a-f]{8})`)

// waitJournaledTasks reads the run ID from the driver's output and waits
// until its journal holds n task results.
func waitJournaledTasks(t *testing.T, exited <-chan struct{}, stderr *lockedBuffer, n int) string {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	run := ""
	for time.Now().Before(deadline) {
		if run == "" {
			if m := runIDLine.FindStringSubmatch(stderr.String()); m != nil {
				run = m[1]
			}
		}
		if run != "" && len(journaledTasks(t, run, "resume")) >= n {
			return run
		}
		select {
		case <-exited:
			t.Fatalf("the driver ended before it was killed:\n%s", stderr.String())
		case <-time.After(200 * time.Millisecond):
		}
	}
	t.Fatalf("no %d journaled tasks in time (run %q):\n%s", n, run, stderr.String())
	return ""
}

// journaledTasks reads the task entries of a run's journal.
func journaledTasks(t *testing.T, run, shuffle string) map[journal.TaskKey]bool {
	t.Helper()
	out := map[journal.TaskKey]bool{}
	for _, key := range list(t, "s3://shuffle/"+shuffle+"/"+run+"/"+journal.DirName+"/") {
		var e journal.Entry
		if err := json.Unmarshal(readObject(t, "s3://shuffle/"+key), &e); err != nil {
			t.Fatal(err)
		}
		if e.Kind == journal.KindTask {
			out[journal.TaskKey{Stage: e.Result.Stage, Partition: e.Result.Partition}] = true
		}
	}
	return out
}

// startedAfter lists the tasks started in the event log's parts after the
// first skip ones (the resumed driver's).
func startedAfter(t *testing.T, run string, skip int) map[journal.TaskKey]bool {
	t.Helper()
	out := map[journal.TaskKey]bool{}
	for i, key := range list(t, "s3://shuffle/events/"+run+"/") {
		if i < skip || !strings.HasPrefix(path.Base(key), "events-") {
			continue
		}
		sc := bufio.NewScanner(bytes.NewReader(readObject(t, "s3://shuffle/"+key)))
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			var ev eventlog.Event
			if json.Unmarshal(sc.Bytes(), &ev) == nil && ev.Type == eventlog.TaskStart && ev.Task != nil {
				out[journal.TaskKey{Stage: ev.Task.Stage, Partition: ev.Task.Partition}] = true
			}
		}
	}
	return out
}

// lockedBuffer collects a process's output while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// list returns the keys under an s3:// prefix, sorted (none if absent).
func list(t *testing.T, prefix string) []string {
	t.Helper()
	loc, err := storage.Resolve(context.Background(), prefix)
	if err != nil {
		t.Fatal(err)
	}
	infos, err := loc.Store.List(context.Background(), loc.Key)
	if err != nil {
		return nil
	}
	keys := make([]string, len(infos))
	for i, in := range infos {
		keys[i] = in.Key
	}
	return keys
}

func readObject(t *testing.T, url string) []byte {
	t.Helper()
	loc, err := storage.Resolve(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	f, err := loc.Store.Open(context.Background(), loc.Key)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.NewSectionReader(f, 0, f.Size()))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSubmitKilledAtCommitThenResumed SIGKILLs the driver as the sink's
// commit starts: its winners are S3 multipart uploads waiting for
// completion, known only to the journal. The resumed driver completes
// them (rerunning no task), and nothing is left pending.
func TestSubmitKilledAtCommitThenResumed(t *testing.T) {
	e := setup(t)
	genDemo(t)
	job := filepath.Join(t.TempDir(), "job.hcl")
	os.WriteFile(job, []byte(jobHCL), 0o644)
	if out, err := exec.Command(e.binary, "run", job, "--var", "name=commit-local").CombinedOutput(); err != nil {
		t.Fatalf("drover run: %v\n%s", err, out)
	}
	args := []string{"submit", job, "--var", "name=commit-cluster", "--executors", "2", "--executor-memory", "256", "--executor-cpu", "100",
		"--shuffle-dir", "s3://shuffle/commit", "--executor-binary", e.binary, "--ui-addr", "off"}
	first := exec.Command(e.binary, append(args, "--chaos-kill-at", "commit out")...)
	first.Env = os.Environ()
	out, err := first.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the driver was not killed at the commit: %v\n%s", err, out)
	}
	m := runIDLine.FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("no run ID in:\n%s", out)
	}
	run := m[1]
	if got := list(t, "s3://out/commit-cluster/"); len(got) != 0 {
		t.Fatalf("the killed driver left objects in the output before its commit: %v", got)
	}
	pending := uploads(t, e.minio, "commit-cluster/")
	if len(pending) == 0 {
		t.Fatal("no sink upload waits for completion after the kill")
	}
	done := journaledTasks(t, run, "commit")
	partsAtKill := len(list(t, "s3://shuffle/events/"+run+"/"))

	resume := exec.Command(e.binary, append(args, "--resume", run)...)
	resume.Env = os.Environ()
	if out, err := resume.CombinedOutput(); err != nil {
		t.Fatalf("drover submit --resume: %v\n%s", err, out)
	}
	got, want := withoutHeaders(readAll(t, "s3://out/commit-cluster/")), withoutHeaders(readAll(t, "s3://out/commit-local/"))
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("resumed output differs from run:\n%s\nvs\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Every task finished before the commit: the resumed driver runs none.
	if len(done) == 0 {
		t.Fatal("the journal held no task at the kill")
	}
	if started := startedAfter(t, run, partsAtKill); len(started) != 0 {
		t.Errorf("the resumed driver ran tasks again: %v", started)
	}
	noUploads(t, e.minio, "")
	assertNoDroverJobs(t, nomadClient(t))
}
