package provision

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	nomad "github.com/hashicorp/nomad/api"
	"github.com/minio/minio-go/v7"

	"github.com/drover-etl/drover/eventlog"
	"github.com/drover-etl/drover/journal"
)

const dispatchJob = "drover-dispatch" // the job ID in nomad/drover-dispatch.nomad.hcl

// dispatchSpecKey is the example job with a `date` variable, which the
// dispatch job file passes its date metadata to (the job ignores it).
const dispatchSpecKey = "jobs/daily_revenue_dispatch.hcl"

// runDispatchKillingDriver runs the example job through the parameterized
// job file (`nomad job dispatch`, which passes `--run ${NOMAD_JOB_ID}` and
// replaces a lost driver once), and once the driver has finished a stage
// kills the client node that runs the DRIVER. Nomad must place the driver
// on another node, the new driver must resume the run from its journal —
// no task the dead one finished runs again, each is reported reused in the
// run's event log — and the output must equal the local run.
func (e *e2e) runDispatchKillingDriver(run string) {
	o := e.nomadOpts("nomad-" + run)
	o.stdin = fmt.Sprintf(`{"Items":{"access_key":%q,"secret_key":%q}}`, e.out.Env["AWS_ACCESS_KEY_ID"], e.secret)
	must(e.t, e.ctx, o, e.tool("nomad"), "var", "put", "-in=json", "-force", "nomad/jobs/"+dispatchJob, "-")
	o.stdin = ""
	spec, err := os.ReadFile(filepath.Join(e.root, exampleJob))
	if err != nil {
		e.t.Fatal(err)
	}
	spec = append([]byte("variable \"date\" {\n  default = \"\"\n}\n\n"), spec...)
	admin := s3Client(e.t, e.out.S3Endpoint, "admin", e.rootPW, e.out.Env["AWS_REGION"])
	if _, err := admin.PutObject(e.ctx, "data", dispatchSpecKey, strings.NewReader(string(spec)), int64(len(spec)), minio.PutObjectOptions{}); err != nil {
		e.t.Fatal(err)
	}
	must(e.t, e.ctx, o, e.tool("nomad"), "job", "run", "-detach",
		"-var", "job_spec_url=s3://data/"+dispatchSpecKey,
		"-var", "shuffle_dir=s3://drover/shuffle",
		"-var", "s3_endpoint="+e.out.S3Endpoint,
		"-var", "region="+e.out.Env["AWS_REGION"],
		"-var", "executors=3",
		"-var", fmt.Sprintf(`job_vars=["data=s3://data/demo","out=s3://out/%s"]`, run),
		// Slow tasks, so the node dies mid-job; no speculative copies.
		"-var", `driver_args=["--executor-arg=--chaos-task-delay=1500ms","--speculation=false"]`,
		filepath.Join(e.root, "nomad", "drover-dispatch.nomad.hcl"))
	nc := e.nomad()
	parent, _, err := nc.Jobs().Info(dispatchJob, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	e.checkIsolated("dispatch job", parent)
	out := must(e.t, e.ctx, o, e.tool("nomad"), "job", "dispatch", "-detach", "-meta", "date=2026-11-20", dispatchJob)
	m := regexp.MustCompile(`Dispatched Job ID = (\S+)`).FindStringSubmatch(out)
	if m == nil {
		e.t.Fatalf("no dispatched job ID in:\n%s", out)
	}
	child, runID := m[1], strings.ReplaceAll(m[1], "/", "-")
	e.t.Logf("   dispatched %s (run %s)", child, runID)

	first := e.waitStageDone(nc, child)
	if exists(e.ctx, e.s3, "out", run+"/revenue/_SUCCESS") {
		e.t.Fatal("the job committed before its driver's node could be killed")
	}
	e.collectAllocs()
	must(e.t, e.ctx, cmdOpts{}, "docker", "kill", first.NodeName)
	procs := killAllocCgroups(e.allocsOn(nc, first.NodeName))
	killedAt := time.Now()
	e.t.Logf("   killed %s, the node running driver allocation %s, with %d task processes", first.NodeName, first.ID[:8], procs)
	done := e.journaledTasks(runID)
	if len(done) == 0 {
		e.t.Fatal("the killed driver's journal names no finished task")
	}
	e.t.Logf("   the dead driver's journal: %d finished tasks", len(done))

	second := e.waitReplacementDone(nc, child, runID, first)
	e.t.Logf("   Nomad placed driver allocation %s on %s %s after the kill", second.ID[:8], second.NodeName,
		time.Duration(second.CreateTime-killedAt.UnixNano()).Round(time.Second))
	logs := e.driverLogs(second.ID, run)
	e.collectAllocs()
	if !strings.Contains(logs, "reused from the journal") {
		e.t.Fatalf("the replacement driver did not resume the run; its log:\n%s", tail(logs, 40))
	}
	e.t.Logf("   %s", strings.Join(grepLines(logs, "reused from the journal"), "; "))
	e.checkReusedInEventLog(runID, done)
	e.checkOutput(run)
}

// waitStageDone waits until a dispatched job's driver is running and has
// finished a stage, and returns its allocation.
func (e *e2e) waitStageDone(nc *nomad.Client, job string) *nomad.AllocationListStub {
	var alloc *nomad.AllocationListStub
	o := e.nomadOpts("nomad-kill-driver")
	err := waitFor(e.ctx, 4*time.Minute, 500*time.Millisecond, "the dispatched driver's first stage", func() (bool, error) {
		allocs, _, err := nc.Jobs().Allocations(job, true, nil)
		if err != nil {
			return false, err
		}
		// The newest allocation: the servers may have replaced one that
		// could not start (its node lost before it ran).
		var a *nomad.AllocationListStub
		for _, c := range allocs {
			if a == nil || c.CreateIndex > a.CreateIndex {
				a = c
			}
		}
		if a == nil {
			return false, nil
		}
		switch a.ClientStatus {
		case "complete", "failed", "lost":
			return false, fmt.Errorf("driver allocation %s is %s before a node was killed", a.ID, a.ClientStatus)
		case "running":
		default:
			return false, nil
		}
		alloc = a
		logs, err := run(e.ctx, o, e.tool("nomad"), "alloc", "logs", "-stderr", a.ID, "driver")
		return strings.Contains(logs, " done in "), err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return alloc
}

// waitReplacementDone waits for the driver allocation Nomad places after
// the lost one to finish, and fails unless it succeeded on another node.
func (e *e2e) waitReplacementDone(nc *nomad.Client, job, runID string, lost *nomad.AllocationListStub) *nomad.AllocationListStub {
	var repl *nomad.AllocationListStub
	var statuses []string
	// The servers replace the driver once the lost node's client would
	// have stopped it (disconnect.stop_on_client_after + kill_timeout).
	err := waitFor(e.ctx, 10*time.Minute, 2*time.Second, "a replacement driver to finish", func() (bool, error) {
		allocs, _, err := nc.Jobs().Allocations(job, true, nil)
		if err != nil {
			return false, err
		}
		statuses, repl = statuses[:0], nil
		for _, a := range allocs {
			statuses = append(statuses, fmt.Sprintf("%s on %s: %s/%s", a.ID[:8], a.NodeName, a.DesiredStatus, a.ClientStatus))
			// The newest allocation placed after the lost one: a
			// replacement that failed may itself have been replaced.
			if a.CreateIndex > lost.CreateIndex && (repl == nil || a.CreateIndex > repl.CreateIndex) {
				repl = a
			}
		}
		return repl != nil && repl.ClientStatus != "pending" && repl.ClientStatus != "running", nil
	})
	if err != nil {
		e.t.Fatalf("%v; allocations: %s\n%s", err, strings.Join(statuses, "; "), e.dispatchDiagnosis(nc, job, runID))
	}
	if repl.NodeName == lost.NodeName {
		e.t.Fatalf("the replacement driver %s runs on the killed node %s", repl.ID, lost.NodeName)
	}
	if repl.ClientStatus != "complete" {
		o := e.nomadOpts("nomad-failed")
		status, _ := run(e.ctx, o, e.tool("nomad"), "alloc", "status", repl.ID)
		logs, _ := run(e.ctx, o, e.tool("nomad"), "alloc", "logs", "-stderr", repl.ID, "driver")
		os.WriteFile(filepath.Join(e.logs, "replacement-driver.log"), []byte(status+"\n"+logs), 0o644)
		e.t.Fatalf("replacement driver %s on %s: %s; allocations: %s\n%s", repl.ID[:8], repl.NodeName, repl.ClientStatus,
			strings.Join(statuses, "; "), e.dispatchDiagnosis(nc, job, runID))
	}
	return repl
}

// dispatchDiagnosis says, from the servers' state and S3 alone (the node
// of a failed allocation may be unreachable), what became of each driver
// allocation of the dispatched job and of each client node, and how the
// run's event log ends.
func (e *e2e) dispatchDiagnosis(nc *nomad.Client, job, runID string) string {
	var b strings.Builder
	if nodes, _, err := nc.Nodes().List(nil); err == nil {
		for _, n := range nodes {
			fmt.Fprintf(&b, "node %s %s: %s\n", n.Name, n.Address, n.Status)
		}
	}
	allocs, _, _ := nc.Jobs().Allocations(job, true, nil)
	for _, stub := range allocs {
		a, _, err := nc.Allocations().Info(stub.ID, nil)
		if err != nil {
			fmt.Fprintf(&b, "alloc %s: %v\n", stub.ID[:8], err)
			continue
		}
		fmt.Fprintf(&b, "alloc %s on %s: %s/%s %s\n", a.ID[:8], a.NodeName, a.DesiredStatus, a.ClientStatus, a.ClientDescription)
		for name, ts := range a.TaskStates {
			for _, ev := range ts.Events {
				fmt.Fprintf(&b, "  %s %s: %s %s\n", name, time.Unix(0, ev.Time).UTC().Format("15:04:05"), ev.Type, ev.DisplayMessage)
			}
		}
	}
	var lines []string
	for obj := range e.s3.ListObjects(e.ctx, "drover", minio.ListObjectsOptions{Prefix: "events/" + runID + "/", Recursive: true}) {
		if obj.Err == nil {
			lines = append(lines, strings.Split(strings.TrimSpace(string(e.getObject("drover", obj.Key))), "\n")...)
		}
	}
	for _, l := range lines {
		if strings.Contains(l, `"run_start"`) || strings.Contains(l, `"run_end"`) || strings.Contains(l, `"error"`) {
			fmt.Fprintf(&b, "event: %.300s\n", l)
		}
	}
	return b.String()
}

// journaledTasks reads the run's journal (s3://drover/shuffle/<run>/_journal/)
// and returns the tasks whose results it holds.
func (e *e2e) journaledTasks(runID string) map[journal.TaskKey]bool {
	prefix := "shuffle/" + runID + "/" + journal.DirName + "/"
	out := map[journal.TaskKey]bool{}
	headers := 0
	for obj := range e.s3.ListObjects(e.ctx, "drover", minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if obj.Err != nil {
			e.t.Fatal(obj.Err)
		}
		var ent journal.Entry
		if err := json.Unmarshal(e.getObject("drover", obj.Key), &ent); err != nil {
			e.t.Fatalf("journal entry %s: %v", obj.Key, err)
		}
		switch {
		case ent.Kind == journal.KindHeader:
			headers++
		case ent.Kind == journal.KindTask && ent.Result != nil:
			out[journal.TaskKey{Stage: ent.Result.Stage, Partition: ent.Result.Partition}] = true
		}
	}
	if headers != 1 {
		e.t.Fatalf("the journal has %d headers when its first driver was killed, want 1", headers)
	}
	return out
}

// checkReusedInEventLog reads the run's event log (s3://drover/events/<run>/):
// after the last run_start (the resuming driver's), every task the dead
// driver journaled must have a task_end marked reused and no task_start.
func (e *e2e) checkReusedInEventLog(runID string, journaled map[journal.TaskKey]bool) {
	var parts []string
	for obj := range e.s3.ListObjects(e.ctx, "drover", minio.ListObjectsOptions{Prefix: "events/" + runID + "/", Recursive: true}) {
		if obj.Err != nil {
			e.t.Fatal(obj.Err)
		}
		parts = append(parts, obj.Key)
	}
	sort.Strings(parts)
	var events []eventlog.Event
	for _, key := range parts {
		sc := bufio.NewScanner(strings.NewReader(string(e.getObject("drover", key))))
		sc.Buffer(nil, 64<<20)
		for sc.Scan() {
			var ev eventlog.Event
			if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
				e.t.Fatalf("event log %s: %v", path.Base(key), err)
			}
			events = append(events, ev)
		}
	}
	last, starts := -1, 0
	for i, ev := range events {
		if ev.Type == eventlog.RunStart {
			last, starts = i, starts+1
		}
	}
	if starts < 2 {
		e.t.Fatalf("the event log of run %s has %d run_start events: no driver resumed it", runID, starts)
	}
	reused, started := map[journal.TaskKey]bool{}, map[journal.TaskKey]bool{}
	for _, ev := range events[last:] {
		if ev.Task == nil || ev.Task.Sample {
			continue
		}
		k := journal.TaskKey{Stage: ev.Task.Stage, Partition: ev.Task.Partition}
		switch {
		case ev.Type == eventlog.TaskEnd && ev.Task.Reused:
			reused[k] = true
		case ev.Type == eventlog.TaskStart:
			started[k] = true
		}
	}
	for k := range journaled {
		if started[k] {
			e.t.Errorf("task %d.%d finished before the driver's node was killed, and the resumed driver ran it again", k.Stage, k.Partition)
		}
		if !reused[k] {
			e.t.Errorf("task %d.%d finished before the kill, but the resumed driver's log does not show it reused", k.Stage, k.Partition)
		}
	}
	e.t.Logf("   event log: %d run_starts; the resumed driver reused %d tasks and started %d", starts, len(reused), len(started))
}

func (e *e2e) getObject(bucket, key string) []byte {
	obj, err := e.s3.GetObject(e.ctx, bucket, key, minio.GetObjectOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	defer obj.Close()
	b, err := io.ReadAll(obj)
	if err != nil {
		e.t.Fatalf("read s3://%s/%s: %v", bucket, key, err)
	}
	return b
}
