package testutil

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Nomad is a running Nomad dev agent (server and client in one) with the
// raw_exec driver enabled.
type Nomad struct {
	Addr string // "http://127.0.0.1:port", as NOMAD_ADDR wants it

	proc *proc
}

// StartNomad runs a Nomad dev agent on loopback, registered with consul
// (nil runs without Consul), and returns once a leader is elected and the
// client node is ready with raw_exec healthy.
func StartNomad(t testing.TB, consul *Consul) *Nomad {
	t.Helper()
	n := &Nomad{}
	n.proc = start(t, "nomad", func(dataDir string) (launchSpec, error) {
		return n.spec(dataDir, consul)
	})
	return n
}

func (n *Nomad) spec(dataDir string, consul *Consul) (launchSpec, error) {
	ports, err := freePorts(3)
	if err != nil {
		return launchSpec{}, err
	}
	n.Addr = fmt.Sprintf("http://127.0.0.1:%d", ports[0])
	config := filepath.Join(dataDir, "agent.hcl")
	if err := os.WriteFile(config, []byte(nomadConfig(ports, consul)), 0o644); err != nil {
		return launchSpec{}, fmt.Errorf("write nomad config: %w", err)
	}
	return launchSpec{
		args: []string{"agent", "-dev", "-bind", "127.0.0.1",
			"-data-dir", filepath.Join(dataDir, "data"), "-config", config},
		ready:   n.ready,
		timeout: 90 * time.Second,
	}, nil
}

// Env returns the variables that point Nomad clients at this agent.
func (n *Nomad) Env() []string { return []string{"NOMAD_ADDR=" + n.Addr} }

// ready succeeds once there is a leader and a ready node with raw_exec.
func (n *Nomad) ready() error {
	var leader string
	if err := getJSON(n.Addr+"/v1/status/leader", &leader); err != nil {
		return err
	}
	if leader == "" {
		return fmt.Errorf("nomad has no leader yet")
	}
	var nodes []nomadNode
	if err := getJSON(n.Addr+"/v1/nodes", &nodes); err != nil {
		return err
	}
	for _, node := range nodes {
		if node.Status == "ready" && node.Drivers["raw_exec"].Healthy {
			return nil
		}
	}
	return fmt.Errorf("nomad client node not ready yet (%d nodes)", len(nodes))
}

// nomadNode is the part of a /v1/nodes entry readiness looks at.
type nomadNode struct {
	Status  string
	Drivers map[string]struct{ Detected, Healthy bool }
}
