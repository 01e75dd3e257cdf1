package testutil

import (
	"fmt"
	"strconv"
	"testing"
	"time"
)

// Consul is a running single-node Consul dev agent.
type Consul struct {
	HTTPAddr string // "127.0.0.1:port", as CONSUL_HTTP_ADDR wants it

	proc *proc
}

// StartConsul runs a Consul dev agent (server and client in one) on
// loopback and returns once it has elected itself leader. DNS, gRPC and
// WAN serf are disabled; HTTP, server RPC and LAN serf use free ports.
func StartConsul(t testing.TB) *Consul {
	t.Helper()
	c := &Consul{}
	c.proc = start(t, "consul", c.spec)
	return c
}

func (c *Consul) spec(dataDir string) (launchSpec, error) {
	ports, err := freePorts(3)
	if err != nil {
		return launchSpec{}, err
	}
	http, server, serfLAN := ports[0], ports[1], ports[2]
	c.HTTPAddr = fmt.Sprintf("127.0.0.1:%d", http)
	return launchSpec{
		args: []string{"agent", "-dev",
			"-bind", "127.0.0.1", "-client", "127.0.0.1", "-data-dir", dataDir,
			"-node", fmt.Sprintf("drover-test-%d", http),
			"-http-port", strconv.Itoa(http), "-server-port", strconv.Itoa(server),
			"-serf-lan-port", strconv.Itoa(serfLAN), "-serf-wan-port", "-1",
			"-dns-port", "-1", "-grpc-port", "-1", "-grpc-tls-port", "-1", "-https-port", "-1",
			"-hcl", "disable_update_check = true"},
		ready:   c.hasLeader,
		timeout: 60 * time.Second,
	}, nil
}

// URL is the agent's HTTP API base URL.
func (c *Consul) URL() string { return "http://" + c.HTTPAddr }

// Env returns the variables that point Consul clients at this agent.
func (c *Consul) Env() []string { return []string{"CONSUL_HTTP_ADDR=" + c.HTTPAddr} }

// hasLeader succeeds once /v1/status/leader names a leader.
func (c *Consul) hasLeader() error {
	var leader string
	if err := getJSON(c.URL()+"/v1/status/leader", &leader); err != nil {
		return err
	}
	if leader == "" {
		return fmt.Errorf("consul has no leader yet")
	}
	return nil
}
