package cluster

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/drover-etl/drover/cluster"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/eventlog"
	"github.com/drover-etl/drover/internal/browsertest"
	"github.com/drover-etl/drover/internal/testutil"
)

// driverProc is a `drover submit` running in the background whose stderr
// is scanned for the lines that name its UI and event log.
type driverProc struct {
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  strings.Builder
	ui   chan string // the run page's URL
	log  chan string // the event log's URL
	done chan error
}

var (
	uiLine  = regexp.MustCompile(`^web UI: (http://\S+)`)
	logLine = regexp.MustCompile(`^event log: (\S+)`)
)

func startDriver(t *testing.T, bin string, args ...string) *driverProc {
	t.Helper()
	d := &driverProc{cmd: exec.Command(bin, args...), ui: make(chan string, 1), log: make(chan string, 1), done: make(chan error, 1)}
	d.cmd.Env = os.Environ()
	pr, pw := io.Pipe()
	d.cmd.Stderr, d.cmd.Stdout = pw, pw
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			d.mu.Lock()
			d.out.WriteString(line + "\n")
			d.mu.Unlock()
			if m := uiLine.FindStringSubmatch(line); m != nil {
				d.ui <- m[1]
			}
			if m := logLine.FindStringSubmatch(line); m != nil {
				d.log <- m[1]
			}
		}
	}()
	go func() { err := d.cmd.Wait(); pw.Close(); d.done <- err }()
	t.Cleanup(func() { d.cmd.Process.Kill() })
	return d
}

func (d *driverProc) output() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.out.String()
}

// await returns the next value of ch, failing the test if the driver
// exits first.
func (d *driverProc) await(t *testing.T, ch chan string, what string) string {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case err := <-d.done:
		d.done <- err
		t.Fatalf("driver exited (%v) before printing its %s:\n%s", err, what, d.output())
	case <-time.After(3 * time.Minute):
		t.Fatalf("driver printed no %s:\n%s", what, d.output())
	}
	return ""
}

func freeAddr(t *testing.T) string {
	t.Helper()
	p, err := testutil.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	return "127.0.0.1:" + strconv.Itoa(p)
}

// busiestStage is the non-sink stage with the most tasks (where tasks
// are in flight long enough to watch and to lose an executor under).
func busiestStage(c *engine.Compiled) int {
	best, n := 0, -1
	for _, st := range c.Stages.Stages {
		if !st.IsSink() && st.Partitions > n {
			best, n = st.ID, st.Partitions
		}
	}
	return best
}

// TestUIOnClusterJob watches a real cluster job (Nomad executors, MinIO)
// in the driver's live UI with headless Chromium: the stage graph has the
// planned stages and edges, a stage's task table fills in while the page
// stays open, and an executor killed mid-stage shows up as a failed
// attempt with its error. Then a second run's driver is SIGKILLed mid-job
// and `drover history` serves both runs from their S3 event logs.
func TestUIOnClusterJob(t *testing.T) {
	bctx := browsertest.Start(t)
	e := setup(t)
	genDemo(t)
	job := filepath.Join(t.TempDir(), "job.hcl")
	os.WriteFile(job, []byte(jobHCL), 0o644)
	// Plan as submit does for 2 executors × 2 slots, to know the stages.
	c, err := engine.Compile(context.Background(), job, engine.Options{Vars: map[string]string{"name": "ui"}, Parallelism: 4})
	if err != nil {
		t.Fatal(err)
	}
	const events = "s3://shuffle/events"
	submit := func(name, ui, delay string) *driverProc {
		return startDriver(t, e.binary, "submit", job, "--var", "name="+name, "--executors", "2", "--executor-memory", "256",
			"--executor-cpu", "100", "--shuffle-dir", "s3://shuffle/ui", "--executor-binary", e.binary,
			"--event-log-dir", events, "--ui-addr", ui, "--executor-arg=--chaos-task-delay="+delay)
	}

	d := submit("ui", freeAddr(t), "1500ms")
	runURL := d.await(t, d.ui, "web UI address")
	browsertest.Navigate(t, bctx, runURL)
	checkStageGraph(t, bctx, c)
	browsertest.Screenshot(t, bctx, "1-live-run")

	watched := busiestStage(c)
	stageURL := fmt.Sprintf("%s/stages/%d", runURL, watched)
	browsertest.Navigate(t, bctx, stageURL)
	// A marker survives only as long as the page is not reloaded: what
	// changes below changed through server-sent events.
	browsertest.Run(t, bctx, chromedp.Evaluate[chromedp.Void](`window.stayed = true`))
	browsertest.WaitFor(t, bctx, `document.querySelectorAll('#tasks tr[data-status="running"]').length >= 2`)
	killAnExecutor(t, e.binary)
	browsertest.WaitFor(t, bctx, `document.querySelector('#failed') != null && document.querySelector('#failed').textContent.includes("executor lost")`)
	browsertest.WaitFor(t, bctx, `document.querySelectorAll('#tasks tr[data-status="succeeded"]').length >= 1`)
	browsertest.Screenshot(t, bctx, "2-stage-live-with-lost-executor")
	if !browsertest.Run(t, bctx, chromedp.Evaluate[bool](`window.stayed === true`)) {
		t.Fatal("the stage page reloaded instead of updating in place")
	}
	if err := <-d.done; err != nil {
		t.Fatalf("job failed: %v\n%s", err, d.output())
	}
	finished := runID(runURL)

	// A second run whose driver dies without a word.
	d2 := submit("ui-killed", "off", "2s")
	logURL := d2.await(t, d2.log, "event log")
	killed := logURL[strings.LastIndex(logURL, "/")+1:]
	waitForTaskEnd(t, events, killed)
	if err := d2.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-d2.done
	purge(t, cluster.ExecutorJobID(c.Job.Name, killed))

	hist := freeAddr(t)
	h := startDriver(t, e.binary, "history", "--event-log-dir", events, "--ui-addr", hist)
	waitHTTP(t, "http://"+hist+"/healthz")
	browsertest.Navigate(t, bctx, "http://"+hist+"/")
	if got := browsertest.Text(t, bctx, fmt.Sprintf(`tr[data-run=%q]`, killed)); !strings.Contains(got, "incomplete") {
		t.Errorf("killed run listed as %q", got)
	}
	if got := browsertest.Text(t, bctx, fmt.Sprintf(`tr[data-run=%q]`, finished)); !strings.Contains(got, "succeeded") {
		t.Errorf("finished run listed as %q", got)
	}
	browsertest.Screenshot(t, bctx, "3-history-runs")
	browsertest.Navigate(t, bctx, "http://"+hist+"/runs/"+killed)
	checkStageGraph(t, bctx, c)
	if got := browsertest.Text(t, bctx, "#run-status"); got != "incomplete" {
		t.Errorf("killed run status %q", got)
	}
	browsertest.Screenshot(t, bctx, "4-history-killed-run")
	browsertest.Navigate(t, bctx, fmt.Sprintf("http://%s/runs/%s/stages/%d", hist, finished, watched))
	if got := browsertest.Text(t, bctx, "#failed"); !strings.Contains(got, "executor lost") {
		t.Errorf("history lost the failed attempt: %q", got)
	}
	browsertest.Screenshot(t, bctx, "5-history-stage")
	h.cmd.Process.Signal(syscall.SIGTERM)
	<-h.done
}

func runID(runURL string) string { return runURL[strings.LastIndex(runURL, "/")+1:] }

// checkStageGraph compares the drawn graph with the planned stages.
func checkStageGraph(t *testing.T, ctx context.Context, c *engine.Compiled) {
	t.Helper()
	edges := 0
	for _, st := range c.Stages.Stages {
		edges += len(st.Parents)
		sel := fmt.Sprintf(`#dag g.stage[data-stage="%d"]`, st.ID)
		if browsertest.Count(t, ctx, sel) != 1 {
			t.Errorf("stage %d is not drawn", st.ID)
		}
	}
	if n := browsertest.Count(t, ctx, "#dag g.stage"); n != len(c.Stages.Stages) {
		t.Errorf("graph draws %d stages, the plan has %d", n, len(c.Stages.Stages))
	}
	if n := browsertest.Count(t, ctx, "#dag line"); n != edges {
		t.Errorf("graph draws %d edges, the plan has %d", n, edges)
	}
}

// killAnExecutor SIGKILLs one executor process of this test's binary.
func killAnExecutor(t *testing.T, bin string) {
	t.Helper()
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil || !strings.HasPrefix(string(b), bin+"\x00executor\x00") {
			continue
		}
		pid, _ := strconv.Atoi(strings.Split(p, "/")[2])
		if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		t.Logf("killed executor pid %d", pid)
		return
	}
	t.Fatal("no executor process found")
}

// waitForTaskEnd waits until the run's log on S3 holds a finished task.
func waitForTaskEnd(t *testing.T, dir, run string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		if lg, err := eventlog.Read(context.Background(), dir, run); err == nil {
			for _, ev := range lg.Events {
				if ev.Type == eventlog.TaskEnd && ev.Task.Status == eventlog.StatusSucceeded {
					return
				}
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("no task_end reached the event log of %s", run)
}

// purge removes the executor job a killed driver left behind.
func purge(t *testing.T, jobID string) {
	t.Helper()
	if _, _, err := nomadClient(t).Jobs().Deregister(jobID, true, nil); err != nil {
		t.Errorf("purge %s: %v", jobID, err)
	}
}

func waitHTTP(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s never answered", url)
}
