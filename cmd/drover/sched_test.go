package main

import (
	"strings"
	"testing"
	"time"
)

func TestSchedFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    schedFlags
		err  string
	}{
		{"defaults", schedFlags{speculation: true, multiplier: 1.5, quantile: 0.75, minRuntime: time.Second}, ""},
		{"timeout", schedFlags{multiplier: 1.5, quantile: 0.75, minRuntime: time.Second, taskTimeout: time.Minute}, ""},
		{"multiplier", schedFlags{multiplier: 0.5, quantile: 0.75, minRuntime: time.Second}, "--speculation-multiplier 0.5"},
		{"quantile", schedFlags{multiplier: 1.5, quantile: 1.5, minRuntime: time.Second}, "--speculation-quantile 1.5"},
		{"min runtime", schedFlags{multiplier: 1.5, quantile: 0.75}, "--speculation-min-runtime 0s"},
		{"negative timeout", schedFlags{multiplier: 1.5, quantile: 0.75, minRuntime: time.Second, taskTimeout: -time.Second}, "--task-timeout -1s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sp, timeout, err := tc.f.apply()
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want it to name %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if sp.Enabled != tc.f.speculation || sp.Multiplier != tc.f.multiplier || sp.Quantile != tc.f.quantile || sp.MinRuntime != tc.f.minRuntime || timeout != tc.f.taskTimeout {
				t.Errorf("apply = %+v, %v from %+v", sp, timeout, tc.f)
			}
		})
	}
}
