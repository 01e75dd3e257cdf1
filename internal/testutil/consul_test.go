package testutil

import (
	"strings"
	"testing"
)

func TestStartConsul(t *testing.T) {
	skipShort(t)
	c := StartConsul(t)
	if !strings.HasPrefix(c.HTTPAddr, "127.0.0.1:") {
		t.Fatalf("HTTPAddr %q is not loopback", c.HTTPAddr)
	}
	var leader string
	if err := getJSON(c.URL()+"/v1/status/leader", &leader); err != nil || !strings.HasPrefix(leader, "127.0.0.1:") {
		t.Fatalf("leader %q, %v: want a loopback leader", leader, err)
	}
	var self struct{ DebugConfig map[string]any }
	if err := getJSON(c.URL()+"/v1/agent/self", &self); err != nil {
		t.Fatal(err)
	}
	// Only the ports the tests need are open: DNS and gRPC stay closed.
	for _, k := range []string{"DNSPort", "GRPCPort", "GRPCTLSPort", "SerfPortWAN"} {
		if v, ok := self.DebugConfig[k].(float64); !ok || v != -1 {
			t.Errorf("%s = %v, want -1 (disabled)", k, self.DebugConfig[k])
		}
	}
}
