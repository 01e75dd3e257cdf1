package iceberg

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
)

// chaos misbehaves on first attempts of sink tasks the way a cluster can:
// partition 0 writes its files but its answer is lost (the driver
// retries it), partition 1 runs twice at once and both succeed, and
// partition 2's spec is kept so the test can replay it after the commit,
// as a zombie attempt on an executor presumed lost would.
type chaos struct {
	task.Executor
	mu   sync.Mutex
	late *task.Spec
}

func (c *chaos) Run(ctx context.Context, spec *task.Spec) (*task.Result, error) {
	if spec.Fragment.Op != physical.OpWrite || spec.Attempt > 0 {
		return c.Executor.Run(ctx, spec)
	}
	switch spec.Partition {
	case 0:
		if _, err := c.Executor.Run(ctx, spec); err != nil {
			return nil, err
		}
		return nil, task.AsRetryable(errors.New("chaos: result lost"))
	case 1:
		dup := *spec
		dup.Attempt = 99
		if _, err := c.Executor.Run(ctx, &dup); err != nil {
			return nil, err
		}
	case 2:
		c.mu.Lock()
		late := *spec
		c.late = &late
		c.mu.Unlock()
	}
	return c.Executor.Run(ctx, spec)
}

// testChaosAttemptsNeverReferenced: with lost results, duplicate
// attempts and a zombie replayed after the commit, the snapshot holds one
// copy of every row, references exactly the files in the data directory,
// and the zombie changes neither the table nor the visible files.
func testChaosAttemptsNeverReferenced(t *testing.T, l *lake) {
	ctx := context.Background()
	in := filepath.Join(l.dir, "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	var want []string
	for p := range 3 { // three input files: three sink tasks, no shuffle
		body := ordersHeader + "\n"
		for r := range 2 {
			id := p*10 + r
			body += fmt.Sprintf("%d,2026-12-0%d,%d\n", id, p+1, id)
			want = append(want, fmt.Sprintf("%d|2026-12-0%d|%d", id, p+1, id))
		}
		if err := os.WriteFile(filepath.Join(in, fmt.Sprintf("p%d.csv", p)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c, err := engine.Compile(ctx, l.ordersJob(t, in, "append", true), engine.Options{Parallelism: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	local := executor.NewLocal(&executor.Runtime{Name: "chaos", TempDir: t.TempDir()}, 3)
	ch := &chaos{Executor: local}
	if _, err := engine.Run(ctx, c, ch, engine.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	tbl := l.load(t, l.tbl)
	wantRows(t, "rows after chaos", icebergRows(t, tbl), want...)
	referenced := currentDataFiles(t, tbl)
	slices.Sort(referenced)
	files := tableFiles(t, l)
	if !slices.Equal(files, referenced) || len(files) != 3 {
		t.Fatalf("data directory %v, snapshot references %v; want the same 3 files", files, referenced)
	}
	if ch.late == nil {
		t.Fatal("no sink task of partition 2 ran")
	}
	if _, err := local.Run(ctx, ch.late); err != nil {
		t.Fatalf("zombie attempt: %v", err)
	}
	tbl = l.load(t, l.tbl)
	if n := len(snapshots(t, tbl)); n != 1 {
		t.Fatalf("%d snapshots after the zombie, want 1", n)
	}
	wantRows(t, "rows after the zombie", icebergRows(t, tbl), want...)
	if after := tableFiles(t, l); !slices.Equal(after, files) {
		t.Fatalf("the zombie left visible files: %v, was %v", after, files)
	}
}
