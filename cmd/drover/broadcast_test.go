package main

import (
	"testing"

	"github.com/spf13/cobra"

	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/plan/optimizer"
)

func TestLocalBroadcastBytes(t *testing.T) {
	for _, tc := range []struct {
		budget, want int64
	}{
		{0, optimizer.DefaultBroadcastThreshold},
		{64 << 20, optimizer.DefaultBroadcastThreshold}, // a sixteenth is 4 MiB: the default stays
		{512 << 20, 32 << 20},
		{14 << 30, maxLocalBroadcast},
	} {
		if got := localBroadcastBytes(tc.budget); got != tc.want {
			t.Errorf("localBroadcastBytes(%d) = %d, want %d", tc.budget, got, tc.want)
		}
	}
}

// The budget's threshold applies to both the optimizer and the adaptive
// switch, each only where its flag left the default.
func TestDefaultLocalBroadcastKeepsFlags(t *testing.T) {
	pool := memory.NewPool(1 << 30)
	for _, tc := range []struct {
		args                []string
		wantPlan, wantAdapt int64
	}{
		{nil, 64 << 20, 64 << 20},
		{[]string{"--broadcast-threshold", "-1"}, -1, 64 << 20},
		{[]string{"--adaptive-broadcast-bytes", "1000"}, 64 << 20, 1000},
	} {
		var jf jobFlags
		var af adaptiveFlags
		cmd := &cobra.Command{Use: "run", RunE: func(*cobra.Command, []string) error { return nil }}
		jf.register(cmd)
		af.register(cmd)
		if err := cmd.ParseFlags(tc.args); err != nil {
			t.Fatal(err)
		}
		defaultLocalBroadcast(&jf, &af, pool)
		if jf.broadcast != tc.wantPlan || af.cfg.BroadcastBytes != tc.wantAdapt {
			t.Errorf("%v: thresholds %d, %d; want %d, %d", tc.args, jf.broadcast, af.cfg.BroadcastBytes, tc.wantPlan, tc.wantAdapt)
		}
		// The probe-side ratio comes with the derived threshold only.
		if derived := jf.probeRatio == localBroadcastProbeRatio; derived != (tc.wantPlan == 64<<20) || (!derived && jf.probeRatio != 0) {
			t.Errorf("%v: probe ratio %v", tc.args, jf.probeRatio)
		}
	}
}
