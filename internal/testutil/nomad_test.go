package testutil

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestStartNomad(t *testing.T) {
	skipShort(t)
	c := StartConsul(t)
	n := StartNomad(t, c)
	if !strings.HasPrefix(n.Addr, "http://127.0.0.1:") {
		t.Fatalf("Addr %q is not loopback", n.Addr)
	}
	// The agent registers itself in Consul, which cluster mode relies on.
	eventually(t, 30*time.Second, func() error {
		var services map[string][]string
		if err := getJSON(c.URL()+"/v1/catalog/services", &services); err != nil {
			return err
		}
		if _, ok := services["nomad-client"]; !ok {
			return fmt.Errorf("no nomad-client service in consul: %v", services)
		}
		return nil
	})
	runRawExecJob(t, n)
}

func TestStartNomadWithoutConsul(t *testing.T) {
	skipShort(t)
	n := StartNomad(t, nil)
	runRawExecJob(t, n)
}

// TestNomadKilledLeavesNoTasks checks the hard path of stop: an agent
// that had to be killed (it ignored SIGINT for stopGrace) destroys none of
// its allocations, and its executors, which start their own sessions,
// would outlive it and a process-group kill. killSurvivors must get them.
func TestNomadKilledLeavesNoTasks(t *testing.T) {
	skipShort(t)
	n := StartNomad(t, nil)
	submitJob(t, n, "sleeper", "service", "sleep 300")
	waitAllocs(t, n, "sleeper", "running")
	p := n.proc
	tree := descendants(procTable(), p.cmd.Process.Pid)
	p.mu.Lock()
	p.stopping = true // not an unexpected exit
	p.mu.Unlock()
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	<-p.done
	killSurvivors(tree)
	table := procTable()
	for pid, in := range tree {
		if now, ok := table[pid]; ok && now.start == in.start {
			t.Errorf("process %d of the agent survived it", pid)
		}
	}
	if len(tree) < 2 {
		t.Errorf("agent had %d descendants; want at least an executor and its task", len(tree))
	}
}

// runRawExecJob runs a one-task batch job and waits for it to complete.
func runRawExecJob(t *testing.T, n *Nomad) {
	t.Helper()
	submitJob(t, n, "smoke", "batch", "echo ok")
	waitAllocs(t, n, "smoke", "complete")
}

// submitJob registers a one-task raw_exec job running a shell command.
func submitJob(t *testing.T, n *Nomad, id, typ, command string) {
	t.Helper()
	job := map[string]any{"Job": map[string]any{
		"ID": id, "Name": id, "Type": typ, "Datacenters": []string{"*"},
		"TaskGroups": []any{map[string]any{
			"Name": "g", "Count": 1,
			"RestartPolicy":    map[string]any{"Attempts": 0, "Mode": "fail"},
			"ReschedulePolicy": map[string]any{"Attempts": 0, "Unlimited": false},
			"Tasks": []any{map[string]any{
				"Name": "t", "Driver": "raw_exec",
				"Config":    map[string]any{"command": "/bin/sh", "args": []string{"-c", command}},
				"Resources": map[string]any{"CPU": 100, "MemoryMB": 64},
			}},
		}},
	}}
	body, _ := json.Marshal(job)
	resp, err := httpClient.Post(n.Addr+"/v1/jobs", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("register job %s: %s", id, resp.Status)
	}
}

// waitAllocs waits until the job's first allocation has the given status.
func waitAllocs(t *testing.T, n *Nomad, id, status string) {
	t.Helper()
	eventually(t, 60*time.Second, func() error {
		var allocs []struct{ ClientStatus string }
		if err := getJSON(n.Addr+"/v1/job/"+id+"/allocations", &allocs); err != nil {
			return err
		}
		if len(allocs) == 0 || allocs[0].ClientStatus != status {
			return fmt.Errorf("allocations of %s: %+v, want %s", id, allocs, status)
		}
		return nil
	})
}

// eventually polls check until it succeeds or timeout passes.
func eventually(t *testing.T, timeout time.Duration, check func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %v", timeout, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
