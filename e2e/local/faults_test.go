package local

import (
	"context"
	"errors"
	"fmt"
	"github.com/drover-etl/drover/internal/e2eutil"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"sync"
	"testing"

	"github.com/drover-etl/drover/sampledata"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/task"
)

// revenueRows runs the demo job and returns its revenue rows, sorted.
func revenueRows(t *testing.T, data, out string, inject func(*task.Spec) error) ([]string, int) {
	t.Helper()
	return revenueRunWith(t, data, out, runOpts{inject: inject})
}

// revenueRowsWith is revenueRows with more options.
func revenueRowsWith(t *testing.T, data, out string, o runOpts) []string {
	t.Helper()
	rows, _ := revenueRunWith(t, data, out, o)
	return rows
}

func revenueRunWith(t *testing.T, data, out string, o runOpts) ([]string, int) {
	t.Helper()
	o.vars, o.partitions = map[string]string{"data": data, "out": out}, 3
	if o.broadcast == 0 {
		o.broadcast = -1 // shuffled joins unless asked
	}
	sum, err := runJob(t, filepath.Join(e2eutil.RepoRoot(t), "jobs", "daily_revenue.hcl"), o)
	if err != nil {
		t.Fatal(err)
	}
	attempts := 0
	for _, s := range sum.Stages {
		attempts += s.Attempts
	}
	var rows []string
	for _, r := range e2eutil.ReadParquetDir(t, filepath.Join(out, "revenue")) {
		rows = append(rows, fmt.Sprint(r))
	}
	sort.Strings(rows)
	return rows, attempts
}

func genData(t *testing.T) string {
	t.Helper()
	data := filepath.Join(t.TempDir(), "data")
	if _, err := sampledata.Generate(context.Background(), sampledata.Config{Dir: data, Customers: 200, OrdersPerDay: 1000, Days: 2, End: "2026-11-20", Seed: 3}); err != nil {
		t.Fatal(err)
	}
	return data
}

// TestLostTasksAndLostShuffleFilesGiveTheSameOutput fails some attempts
// outright and deletes a shuffle object between stages; the job must still
// produce exactly the clean run's output, with no duplicate files.
func TestLostTasksAndLostShuffleFilesGiveTheSameOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	data := genData(t)
	clean, cleanAttempts := revenueRows(t, data, filepath.Join(t.TempDir(), "out"), nil)

	var mu sync.Mutex
	failed := map[string]bool{}
	deleted := map[string]bool{}
	mapRuns := map[[2]int]int{}
	inject := func(spec *task.Spec) error {
		mu.Lock()
		defer mu.Unlock()
		if spec.Output != nil && !spec.Sample {
			mapRuns[[2]int{spec.Stage, spec.Partition}]++
		}
		key := fmt.Sprintf("%d.%d", spec.Stage, spec.Partition)
		if spec.Partition == 1 && spec.Attempt == 0 && !failed[key] {
			failed[key] = true
			return errors.New("executor lost")
		}
		for stage, outs := range spec.Inputs {
			if len(outs) > 0 && !deleted[fmt.Sprint(stage)] && len(outs[0].URL) > 0 {
				deleted[fmt.Sprint(stage)] = true
				loc, err := storage.Resolve(context.Background(), outs[0].URL)
				if err != nil {
					return err
				}
				if err := loc.Store.Delete(context.Background(), loc.Key); err != nil {
					return err
				}
			}
		}
		return nil
	}
	out := filepath.Join(t.TempDir(), "out")
	got, attempts := revenueRows(t, data, out, inject)
	if !reflect.DeepEqual(got, clean) {
		t.Fatalf("output differs from the clean run:\n%v\nvs\n%v", got, clean)
	}
	if attempts <= cleanAttempts {
		t.Fatalf("no retries happened (%d attempts, clean %d)", attempts, cleanAttempts)
	}
	if len(deleted) == 0 {
		t.Fatal("no shuffle object was deleted")
	}
	recomputed := 0
	for k, n := range mapRuns {
		if n > 1 && k[1] == 0 {
			recomputed++
		}
	}
	if recomputed == 0 {
		t.Fatalf("no lost map task was recomputed: %v", mapRuns)
	}
	files, _ := filepath.Glob(filepath.Join(out, "revenue", "*", "*.parquet"))
	days, _ := filepath.Glob(filepath.Join(out, "revenue", "day=*"))
	if len(files) == 0 || len(days) == 0 {
		t.Fatal("no output")
	}
	if _, err := os.Stat(filepath.Join(out, "revenue", "_staging")); err == nil {
		entries, _ := os.ReadDir(filepath.Join(out, "revenue", "_staging"))
		if len(entries) > 0 {
			t.Fatalf("staging left behind: %v", entries)
		}
	}
}
