package cluster

import (
	"context"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"time"

	consul "github.com/hashicorp/consul/api"
)

// watch follows the passing instances of the executors' service with
// Consul blocking queries and hands them to the pool.
func (c *Cluster) watch(ctx context.Context) {
	defer c.watched.Done()
	var index uint64
	for ctx.Err() == nil {
		q := (&consul.QueryOptions{WaitIndex: index, WaitTime: 10 * time.Second}).WithContext(ctx)
		entries, meta, err := c.consul.Health().Service(c.Service, "", true, q)
		if err != nil {
			sleep(ctx, time.Second)
			continue
		}
		if meta.LastIndex < index {
			index = 0 // Consul reset its index; start over
		} else {
			index = meta.LastIndex
		}
		c.rememberAllocs(entries)
		c.pool.Set(addresses(entries))
		if c.cfg.OnMembers != nil {
			c.cfg.OnMembers(members(entries))
		}
	}
}

// rememberAllocs maps executor addresses to their allocations, for
// explainLoss. Entries stay after the executor leaves Consul: its loss is
// explained afterwards.
func (c *Cluster) rememberAllocs(entries []*consul.ServiceEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range entries {
		host := e.Service.Address
		if host == "" {
			host = e.Node.Address
		}
		if id := allocOf(e.Service.Meta, e.Service.ID); id != "" {
			c.allocs[net.JoinHostPort(host, strconv.Itoa(e.Service.Port))] = id
		}
	}
}

// members describes the healthy instances. Nomad names the Consul
// services it registers "_nomad-task-<alloc ID>-<task>-...".
func members(entries []*consul.ServiceEntry) []Member {
	out := make([]Member, 0, len(entries))
	for _, e := range entries {
		m := Member{Addr: addressOf(e), Node: e.Node.Node}
		if rest, ok := strings.CutPrefix(e.Service.ID, "_nomad-task-"); ok && len(rest) >= 36 {
			m.Alloc = rest[:36]
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Addr < out[j].Addr })
	return out
}

func addresses(entries []*consul.ServiceEntry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, addressOf(e))
	}
	sort.Strings(out)
	return out
}

func addressOf(e *consul.ServiceEntry) string {
	host := e.Service.Address
	if host == "" {
		host = e.Node.Address
	}
	return net.JoinHostPort(host, strconv.Itoa(e.Service.Port))
}

// waitHealthy waits until some executor passes its health check. On
// timeout the error carries what Nomad says about the allocations (a
// driver failure, a crashing binary), so the cause is visible.
func (c *Cluster) waitHealthy(ctx context.Context) error {
	deadline := time.Now().Add(c.cfg.HealthyTimeout)
	for time.Now().Before(deadline) {
		if len(c.pool.Live()) > 0 {
			return nil
		}
		if reason := c.deadAllocs(); reason != "" {
			return fmt.Errorf("%w: %s", ErrNeverHealthy, reason)
		}
		if err := sleep(ctx, 250*time.Millisecond); err != nil {
			return err
		}
	}
	return fmt.Errorf("%w within %s: %s", ErrNeverHealthy, c.cfg.HealthyTimeout, c.allocSummary())
}

// deadAllocs reports allocations that already failed for good.
func (c *Cluster) deadAllocs() string {
	allocs, _, err := c.nomad.Jobs().Allocations(c.JobID, true, nil)
	if err != nil || len(allocs) == 0 {
		return ""
	}
	for _, a := range allocs {
		if a.ClientStatus != "failed" {
			return ""
		}
	}
	return c.allocSummary()
}

// allocSummary lists each allocation's status and last task event.
func (c *Cluster) allocSummary() string {
	allocs, _, err := c.nomad.Jobs().Allocations(c.JobID, true, nil)
	if err != nil {
		return "allocations unavailable: " + err.Error()
	}
	if len(allocs) == 0 {
		return "no allocation was placed"
	}
	var parts []string
	for _, a := range allocs {
		p := fmt.Sprintf("alloc %.8s %s", a.ID, a.ClientStatus)
		for name, ts := range a.TaskStates {
			if n := len(ts.Events); n > 0 {
				ev := ts.Events[n-1]
				p += fmt.Sprintf(" (task %s: %s %s)", name, ev.Type, ev.DisplayMessage)
			}
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}
