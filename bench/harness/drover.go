package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
)

// runDrover runs q's job with `drover run` into out. A non-empty profile
// adds --cpuprofile.
func runDrover(ctx context.Context, cfg Config, ds *Dataset, q Query, out, profile string) (Sample, error) {
	job, _, err := q.files(cfg.QueryDir)
	if err != nil {
		return Sample{}, err
	}
	metrics := out + ".metrics.json"
	defer os.Remove(metrics)
	args := []string{"run", job,
		"--var", "data=" + filepath.Join(ds.Dir, "parquet"), "--var", "out=" + out,
		"--parallelism", strconv.Itoa(cfg.Threads), "--metrics-json", metrics}
	if q.Plugins {
		args = append(args, "--var", "plugins="+cfg.PluginDir)
	}
	args = append(args, q.DroverArgs...)
	if profile != "" {
		args = append(args, "--cpuprofile", profile)
	}
	cmd := exec.CommandContext(ctx, cfg.Drover, args...)
	cmd.Env = append(os.Environ(), "GOMAXPROCS="+strconv.Itoa(cfg.Threads))
	s, _, err := runMeasured(cmd)
	if err != nil {
		return Sample{}, err
	}
	m, err := readMetrics(metrics)
	if err != nil {
		return Sample{}, err
	}
	s.ShuffleBytes, s.PeakRSS = m.shuffleBytes(), m.PeakRSS
	return s, nil
}

// droverMetrics is the part of `drover run --metrics-json` read here.
type droverMetrics struct {
	Stages []struct {
		ID      int `json:"ID"`
		Metrics struct {
			BytesWritten int64 `json:"bytes_written"`
		} `json:"Metrics"`
	} `json:"Stages"`
	SinkStages []int `json:"sink_stages"`
	PeakRSS    int64 `json:"peak_rss_bytes"`
}

func readMetrics(path string) (*droverMetrics, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("drover metrics: %w", err)
	}
	var m droverMetrics
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("drover metrics %s: %w", path, err)
	}
	return &m, nil
}

// shuffleBytes sums what the map stages (all but the sink stages) wrote.
func (m *droverMetrics) shuffleBytes() int64 {
	sink := map[int]bool{}
	for _, id := range m.SinkStages {
		sink[id] = true
	}
	var n int64
	for _, st := range m.Stages {
		if !sink[st.ID] {
			n += st.Metrics.BytesWritten
		}
	}
	return n
}
