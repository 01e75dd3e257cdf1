package testutil

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestStartNomad(t *testing.T) {
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
	n := StartNomad(t, nil)
	runRawExecJob(t, n)
}

// runRawExecJob runs a one-task batch job and waits for it to complete.
func runRawExecJob(t *testing.T, n *Nomad) {
	t.Helper()
	job := map[string]any{"Job": map[string]any{
		"ID": "smoke", "Name": "smoke", "Type": "batch", "Datacenters": []string{"*"},
		"TaskGroups": []any{map[string]any{
			"Name": "g", "Count": 1,
			"RestartPolicy":    map[string]any{"Attempts": 0, "Mode": "fail"},
			"ReschedulePolicy": map[string]any{"Attempts": 0, "Unlimited": false},
			"Tasks": []any{map[string]any{
				"Name": "t", "Driver": "raw_exec",
				"Config":    map[string]any{"command": "/bin/sh", "args": []string{"-c", "echo ok"}},
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
		t.Fatalf("register job: %s", resp.Status)
	}
	eventually(t, 60*time.Second, func() error {
		var allocs []struct{ ClientStatus string }
		if err := getJSON(n.Addr+"/v1/job/smoke/allocations", &allocs); err != nil {
			return err
		}
		if len(allocs) == 0 || allocs[0].ClientStatus != "complete" {
			return fmt.Errorf("allocations: %+v", allocs)
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
