package provision

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	nomad "github.com/hashicorp/nomad/api"
)

const driverJob = "drover-driver" // the job ID in nomad/drover-driver.nomad.hcl

// driverNamespace is the Nomad namespace of the job files (and of the
// drover-driver workload identity policy the servers set up).
const driverNamespace = "drover"

func (e *e2e) nomad() *nomad.Client {
	e.t.Helper()
	nc, err := e.nomadClient()
	if err != nil {
		e.t.Fatal(err)
	}
	return nc
}

// nomadClient talks to the cluster as its operator: HTTPS checked against
// the cluster's CA, the bootstrap token, the drivers' namespace.
func (e *e2e) nomadClient() (*nomad.Client, error) {
	return nomad.NewClient(&nomad.Config{Address: e.out.NomadAddr, SecretID: e.nomadToken, Namespace: driverNamespace,
		TLSConfig: &nomad.TLSConfig{CACert: e.out.CAFile, TLSServerName: e.out.Env["NOMAD_TLS_SERVER_NAME"]}})
}

func (e *e2e) nomadOpts(step string) cmdOpts {
	o := e.opts(step)
	o.env = append(append([]string{}, o.env...), "NOMAD_ADDR="+e.out.NomadAddr, "NOMAD_CACERT="+e.out.CAFile,
		"NOMAD_TLS_SERVER_NAME="+e.out.Env["NOMAD_TLS_SERVER_NAME"], "NOMAD_TOKEN="+e.nomadToken, "NOMAD_NAMESPACE="+driverNamespace)
	return o
}

// waitNodesReady waits until n client nodes are ready with the exec
// driver (tasks isolated) and without raw_exec (it is opt-in).
func (e *e2e) waitNodesReady(n int) {
	nc := e.nomad()
	err := waitFor(e.ctx, 2*time.Minute, time.Second, fmt.Sprintf("%d ready Nomad clients", n), func() (bool, error) {
		nodes, _, err := nc.Nodes().List(nil)
		if err != nil {
			return false, err
		}
		ready := 0
		for _, node := range nodes {
			if raw := node.Drivers["raw_exec"]; raw != nil && raw.Detected {
				return false, fmt.Errorf("node %s offers raw_exec, which the cluster must not enable by default", node.Name)
			}
			if node.Status == "ready" && node.Drivers["exec"] != nil && node.Drivers["exec"].Healthy {
				ready++
			}
		}
		return ready >= n, nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// runDriverJob runs the example job the way users do — `nomad job run
// nomad/drover-driver.nomad.hcl` with the job spec in S3 and the S3
// credentials in a Nomad variable — and checks its output. With kill, the
// executors hold each task for a moment (so the job lasts ~20 s), and a
// client node running executors, not the driver, is killed mid-job.
func (e *e2e) runDriverJob(run string, kill bool) {
	o := e.nomadOpts("nomad-" + run)
	creds := fmt.Sprintf(`{"Items":{"access_key":%q,"secret_key":%q}}`, e.out.Env["AWS_ACCESS_KEY_ID"], e.secret)
	o.stdin = creds
	must(e.t, e.ctx, o, e.tool("nomad"), "var", "put", "-in=json", "-force", "nomad/jobs/"+driverJob, "-")
	o.stdin = ""
	jobFile := filepath.Join(e.root, "nomad", "drover-driver.nomad.hcl")
	args := []string{"job", "run", "-detach",
		"-var", "job_spec_url=s3://data/" + jobSpecKey,
		"-var", "shuffle_dir=s3://drover/shuffle",
		"-var", "s3_endpoint=" + e.out.S3Endpoint,
		"-var", "region=" + e.out.Env["AWS_REGION"],
		"-var", "executors=3",
		"-var", fmt.Sprintf(`job_vars=["data=s3://data/demo","out=s3://out/%s"]`, run)}
	if kill {
		// Speculation off: a copy of a task on the killed node would win
		// the race and hide the loss this run is about (its recovery by
		// retries and lineage).
		args = append(args, "-var", `driver_args=["--executor-arg=--chaos-task-delay=1500ms","--speculation=false"]`)
	}
	must(e.t, e.ctx, o, e.tool("nomad"), append(args, jobFile)...)
	nc := e.nomad()
	job, _, err := nc.Jobs().Info(driverJob, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	version := *job.Version
	e.checkIsolated("driver job", job)
	if kill {
		e.killClientMidJob(nc, version)
	}
	alloc := e.waitDriverDone(nc, version)
	logs := e.driverLogs(alloc.ID, run)
	e.collectAllocs()
	if kill {
		if !strings.Contains(logs, "retrying") {
			e.t.Fatalf("the driver retried no task after the node was killed; its log:\n%s", tail(logs, 40))
		}
		e.t.Logf("   driver retried: %s", strings.Join(grepLines(logs, "retrying"), "; "))
	}
	e.checkOutput(run)
}

// driverAlloc returns the driver allocation of a job version, if placed.
func driverAlloc(nc *nomad.Client, version uint64) (*nomad.AllocationListStub, error) {
	allocs, _, err := nc.Jobs().Allocations(driverJob, true, nil)
	if err != nil {
		return nil, err
	}
	for _, a := range allocs {
		if a.JobVersion == version {
			return a, nil
		}
	}
	return nil, nil
}

// waitDriverDone waits for the driver allocation to finish and fails with
// its status and log when it did not succeed.
func (e *e2e) waitDriverDone(nc *nomad.Client, version uint64) *nomad.AllocationListStub {
	var alloc *nomad.AllocationListStub
	err := waitFor(e.ctx, 6*time.Minute, time.Second, "the driver job to finish", func() (bool, error) {
		a, err := driverAlloc(nc, version)
		alloc = a
		return a != nil && a.ClientStatus != "pending" && a.ClientStatus != "running", err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	if alloc.ClientStatus != "complete" {
		o := e.nomadOpts("nomad-failed")
		status, _ := run(e.ctx, o, e.tool("nomad"), "alloc", "status", alloc.ID)
		logs, _ := run(e.ctx, o, e.tool("nomad"), "alloc", "logs", "-stderr", alloc.ID, "driver")
		e.t.Fatalf("driver allocation %s: %s\n%s\n%s", alloc.ID, alloc.ClientStatus, tail(status, 30), tail(logs, 40))
	}
	return alloc
}

// driverLogs returns the driver's progress log (stderr) and keeps a copy.
func (e *e2e) driverLogs(allocID, run string) string {
	logs := must(e.t, e.ctx, e.nomadOpts("nomad-"+run), e.tool("nomad"), "alloc", "logs", "-stderr", allocID, "driver")
	os.WriteFile(filepath.Join(e.logs, run+"-driver.log"), []byte(logs), 0o644)
	return logs
}

// killClientMidJob waits until the driver has finished a stage (tasks of
// the next stages are then running on every executor), then kills a
// client node's container that runs an executor but not the driver.
func (e *e2e) killClientMidJob(nc *nomad.Client, version uint64) {
	var driver *nomad.AllocationListStub
	o := e.nomadOpts("nomad-kill")
	err := waitFor(e.ctx, 3*time.Minute, 500*time.Millisecond, "the driver's first stage", func() (bool, error) {
		a, err := driverAlloc(nc, version)
		if err != nil || a == nil || a.ClientStatus != "running" {
			return false, err
		}
		driver = a
		logs, err := run(e.ctx, o, e.tool("nomad"), "alloc", "logs", "-stderr", a.ID, "driver")
		return strings.Contains(logs, " done in "), err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	victim := e.executorNodeOtherThan(nc, driver.NodeName)
	if exists(e.ctx, e.s3, "out", "run2/revenue/_SUCCESS") {
		e.t.Fatal("the job committed before a node could be killed")
	}
	e.collectAllocs() // the executors' job is purged when the driver ends
	must(e.t, e.ctx, cmdOpts{}, "docker", "kill", victim)
	// exec tasks live in the host's cgroup tree, beside the container's,
	// so killing the container leaves them running: kill them too, as
	// the loss of the node would.
	procs := killAllocCgroups(e.allocsOn(nc, victim))
	e.t.Logf("   killed %s (driver on %s) mid-job, with %d task processes", victim, driver.NodeName, procs)
	e.waitNodeDown(nc, victim)
}

// waitNodeDown waits until the servers mark a killed node down. Until
// then they may still place work on it: a job dispatched right after a
// node was killed can get an allocation there that stays pending until
// it is lost and replaced, which the next step must not mistake for its
// own driver.
func (e *e2e) waitNodeDown(nc *nomad.Client, name string) {
	err := waitFor(e.ctx, 2*time.Minute, time.Second, "Nomad to mark "+name+" down", func() (bool, error) {
		nodes, _, err := nc.Nodes().List(nil)
		if err != nil {
			return false, err
		}
		for _, n := range nodes {
			if n.Name == name {
				return n.Status == "down" || n.Status == "disconnected", nil
			}
		}
		return false, fmt.Errorf("no node %s", name)
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// executorNodeOtherThan returns a node running one of the run's executors
// that is not the given node.
func (e *e2e) executorNodeOtherThan(nc *nomad.Client, avoid string) string {
	jobs, _, err := nc.Jobs().PrefixList("drover-")
	if err != nil {
		e.t.Fatal(err)
	}
	var nodes []string
	for _, j := range jobs {
		if !strings.HasSuffix(j.ID, "-executors") || j.Status != "running" {
			continue
		}
		job, _, err := nc.Jobs().Info(j.ID, nil)
		if err != nil {
			e.t.Fatal(err)
		}
		e.checkIsolated("executor job "+j.ID, job)
		allocs, _, err := nc.Jobs().Allocations(j.ID, false, nil)
		if err != nil {
			e.t.Fatal(err)
		}
		for _, a := range allocs {
			if a.ClientStatus == "running" {
				nodes = append(nodes, a.NodeName)
				if a.NodeName != avoid {
					return a.NodeName
				}
			}
		}
	}
	e.t.Fatalf("no executor runs on a node other than the driver's %s (executors on %v)", avoid, nodes)
	return ""
}

// collectAllocs remembers every allocation the cluster knows (their
// cgroups are removed after the destroy).
func (e *e2e) collectAllocs() {
	if e.out.NomadAddr == "" {
		return
	}
	nc, err := e.nomadClient()
	if err != nil {
		return
	}
	allocs, _, err := nc.Allocations().List(nil)
	if err != nil {
		return
	}
	for _, a := range allocs {
		e.allocs[a.ID] = true
	}
}

func grepLines(s, substr string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, substr) {
			out = append(out, strings.TrimSpace(l))
		}
	}
	return out
}

// checkIsolated fails unless every task of a job runs with the exec
// driver as the unprivileged user drover, in the drivers' namespace.
func (e *e2e) checkIsolated(what string, job *nomad.Job) {
	e.t.Helper()
	if job.Namespace == nil || *job.Namespace != driverNamespace {
		e.t.Fatalf("%s runs in namespace %v, want %s", what, job.Namespace, driverNamespace)
	}
	for _, tg := range job.TaskGroups {
		for _, task := range tg.Tasks {
			if task.Driver != "exec" || task.User != "drover" {
				e.t.Fatalf("%s: task %s runs with driver %q as user %q, want exec as drover", what, task.Name, task.Driver, task.User)
			}
		}
	}
}

// allocsOn lists the IDs of the running allocations on node.
func (e *e2e) allocsOn(nc *nomad.Client, node string) map[string]bool {
	allocs, _, err := nc.Allocations().List(&nomad.QueryOptions{Namespace: "*"})
	if err != nil {
		e.t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, a := range allocs {
		if a.NodeName == node && a.ClientStatus == "running" {
			ids[a.ID] = true
		}
	}
	return ids
}
