package harness

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestScaleSuiteSF001 runs the scale suite at SF 0.01 with Drover under a
// 2 MiB budget (so that its operators spill even on this data; DuckDB gets
// 256 MiB, as it fails Q9 under 16 MiB) plus a small skewed join, and requires every query to
// complete on both engines with equal answers and the report to say so.
func TestScaleSuiteSF001(t *testing.T) {
	if testing.Short() {
		t.Skip("runs both engines")
	}
	var log strings.Builder
	cfg := ScaleConfig{
		Config: Config{Drover: droverBinary(t), QueryDir: filepath.Join("..", "queries"),
			DataRoot: t.TempDir(), ScaleFactor: 0.01, Threads: 2, Log: &log, Timeout: 5 * time.Minute},
		Memory: 2 << 20, DuckMemory: 256 << 20,
		Skew: SkewConfig{Rows: 400_000, ThresholdBytes: 256 << 10},
	}
	progress := 0
	cfg.Progress = func(*ScaleReport) { progress++ }
	rep, err := RunScale(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Queries) != len(ScaleQueries) || progress != len(ScaleQueries) {
		t.Fatalf("ran %d queries (%d progress calls), want %d", len(rep.Queries), progress, len(ScaleQueries))
	}
	var spilled int64
	for _, q := range rep.Queries {
		if !q.Agree {
			t.Errorf("%s: %s", q.Query.Name, q.Error)
			continue
		}
		if q.Drover.Sample.Wall <= 0 || q.DuckDB.Sample.Wall <= 0 || len(q.Drover.Stages) == 0 {
			t.Errorf("%s: missing figures: %+v", q.Query.Name, q.Drover)
		}
		spilled += q.Drover.SpilledBytes
	}
	if spilled == 0 {
		t.Error("nothing spilled under a 2 MiB budget")
	}
	s := rep.Skew
	if s == nil || !s.AgreeOff || !s.AgreeOn {
		t.Fatalf("skewed join: %+v", s)
	}
	if frac := float64(s.SkewKeyRows) / float64(s.FactRows); frac < 0.25 || frac > 0.35 {
		t.Errorf("skewed key holds %.2f of the rows, want ~0.30", frac)
	}
	if !s.Split {
		t.Errorf("the adaptive run split no partition: %+v", s.On.Stages)
	}
	if f := rep.Failed(); len(f) > 0 {
		t.Errorf("Failed() = %v", f)
	}
	md, js, err := rep.Write(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"window_dedup", "**agree**", "Skewed join"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if _, err := os.Stat(js); err != nil {
		t.Error(err)
	}
	if t.Failed() {
		t.Log(log.String())
	}
}
