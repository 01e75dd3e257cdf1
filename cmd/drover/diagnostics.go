package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/progress"
	"github.com/drover-etl/drover/s3cost"
)

// runDiagnostics are run's optional outputs for benchmarks and profiling:
// a CPU profile and the run summary as JSON.
type runDiagnostics struct {
	cpuProfile  string
	memProfile  string
	metricsJSON string
}

func (d *runDiagnostics) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&d.cpuProfile, "cpuprofile", "", "write a CPU profile (pprof) of the run to this file")
	cmd.Flags().StringVar(&d.metricsJSON, "metrics-json", "", "write the run summary (per-stage metrics, sinks) as JSON to this file")
	cmd.Flags().StringVar(&d.memProfile, "memprofile", "", "write a heap profile (pprof) taken when the live heap was largest to this file")
	cmd.Flags().MarkHidden("memprofile")
}

// registerMetricsJSON adds only --metrics-json (submit and driver: the
// driver's summary; the executors are other processes, so no profile).
func (d *runDiagnostics) registerMetricsJSON(cmd *cobra.Command) {
	cmd.Flags().StringVar(&d.metricsJSON, "metrics-json", "", "write the run summary (per-stage metrics, S3 requests and cost, sinks, the driver's peak RSS) as JSON to this file")
}

// startProfile starts the CPU profile if one was asked for; stop ends it.
func (d *runDiagnostics) startProfile() (stop func(), err error) {
	stopMem := startMemProfile(d.memProfile)
	if d.cpuProfile == "" {
		return func() {
			if err := stopMem(); err != nil {
				fmt.Fprintln(os.Stderr, err)
			}
		}, nil
	}
	f, err := os.Create(d.cpuProfile)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
		if err := stopMem(); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}, nil
}

// runMetrics is the summary plus which stages write sinks (the others
// write shuffle data), the S3 requests and cost per stage, and the
// process's peak RSS.
type runMetrics struct {
	*driver.Summary
	SinkStages []int               `json:"sink_stages"`
	S3         progress.CostReport `json:"s3"`
	// PeakRSSBytes is VmHWM from /proc/self/status (0 where unknown):
	// unlike rusage's maxrss, it does not include the RSS of the parent
	// that started this process.
	PeakRSSBytes int64 `json:"peak_rss_bytes"`
}

// writeMetrics writes the summary if --metrics-json was given.
func (d *runDiagnostics) writeMetrics(c *engine.Compiled, sum *driver.Summary, prices s3cost.Prices) error {
	if d.metricsJSON == "" {
		return nil
	}
	m := runMetrics{Summary: sum, SinkStages: []int{}, S3: progress.Cost(sum, prices), PeakRSSBytes: peakRSS()}
	for _, st := range c.Stages.Stages {
		if st.IsSink() {
			m.SinkStages = append(m.SinkStages, st.ID)
		}
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(d.metricsJSON, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("--metrics-json: %w", err)
	}
	return nil
}

// peakRSS reads the peak resident set size of this process (Linux).
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
