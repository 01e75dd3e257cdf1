package remote

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/format"
	_ "github.com/drover-etl/drover/format/csv"
	_ "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/sampledata"
	_ "github.com/drover-etl/drover/storage/local"
	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/types"
)

// startServer serves an executor on a loopback port.
func startServer(t *testing.T, name string) (*Server, string) {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewServer(&executor.Runtime{Name: name, TempDir: t.TempDir()}, 2, testServerAuth(t))
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(lis)
	t.Cleanup(s.Stop)
	return s, lis.Addr().String()
}

func TestErrorClassesCrossTheWire(t *testing.T) {
	_, addr := startServer(t, "e1")
	c, err := Dial(addr, testClientAuth(t))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	schema := types.NewSchema(types.Field{Name: "x", Type: types.Int64Type})
	spec := &task.Spec{Fragment: &physical.Node{Op: physical.OpScan, Schema: schema, Scan: &physical.ScanSpec{
		Format: "csv", Table: schema, Splits: []format.Split{{URL: filepath.Join(t.TempDir(), "missing.csv")}},
	}}, Output: &physical.ExchangeSpec{Kind: physical.PartSingle, Partitions: 1}, ShuffleDir: t.TempDir()}
	_, err = c.Run(context.Background(), spec)
	if task.ClassOf(err) != task.Fatal || !strings.Contains(err.Error(), "missing.csv") {
		t.Fatalf("want a fatal error naming the file, got %v (%v)", err, task.ClassOf(err))
	}
	st, err := c.Status(context.Background())
	if err != nil || st.Name != "e1" || st.Done != 1 {
		t.Fatalf("status = %+v, %v", st, err)
	}
}

func TestUnreachableExecutorIsLost(t *testing.T) {
	lis, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := lis.Addr().String()
	lis.Close()
	c, _ := Dial(addr, testClientAuth(t))
	defer c.Close()
	_, err := c.Run(context.Background(), &task.Spec{})
	if !errors.Is(err, ErrExecutorLost) || task.ClassOf(err) != task.Retryable {
		t.Fatalf("want a retryable ErrExecutorLost, got %v", err)
	}
}

// TestJobOnRemoteExecutorsSurvivesLosingOne runs the demo job on two gRPC
// executors, stops one after a few tasks, and compares with a local run.
func TestJobOnRemoteExecutorsSurvivesLosingOne(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if _, err := sampledata.Generate(context.Background(), sampledata.Config{Dir: data, Customers: 200, OrdersPerDay: 2000, Days: 2, End: "2026-11-20", Seed: 5}); err != nil {
		t.Fatal(err)
	}
	job := filepath.Join("..", "jobs", "daily_revenue.hcl")
	run := func(ex task.Executor, out string) []string {
		c, err := engine.Compile(context.Background(), job, engine.Options{Parallelism: 4, Partitions: 4, BroadcastThresholdBytes: -1,
			Vars: map[string]string{"data": data, "out": out}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := engine.Run(context.Background(), c, ex, engine.RunOptions{}); err != nil {
			t.Fatal(err)
		}
		return listing(t, filepath.Join(out, "top_customers"))
	}
	want := run(executor.NewLocal(&executor.Runtime{Name: "local"}, 2), filepath.Join(dir, "local"))

	s1, a1 := startServer(t, "e1")
	_, a2 := startServer(t, "e2")
	pool := NewPool(2)
	pool.Auth = testClientAuth(t)
	defer pool.Close()
	if err := pool.Set([]string{a1, a2}); err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	var once sync.Once
	killer := &hookExec{Pool: pool, before: func() {
		if n.Add(1) == 6 {
			once.Do(s1.Stop) // executor e1 dies mid-job
		}
	}}
	got := run(killer, filepath.Join(dir, "remote"))
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("remote output differs:\n%s\nvs local\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if live := pool.Live(); len(live) != 1 || live[0] != a2 {
		t.Fatalf("live executors after the loss: %v", live)
	}
}

type hookExec struct {
	*Pool
	before func()
}

func (h *hookExec) Run(ctx context.Context, spec *task.Spec) (*task.Result, error) {
	h.before()
	return h.Pool.Run(ctx, spec)
}

// listing returns the contents of every visible file under dir, sorted.
func listing(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), "_") {
			return nil
		}
		b, _ := os.ReadFile(p)
		out = append(out, strings.Split(strings.TrimSpace(string(b)), "\n")...)
		return nil
	})
	sort.Strings(out)
	return out
}

var _ = fmt.Sprint

// TestLostExecutorIsNotReadmitted: Consul keeps listing a dead executor
// until its check fails; the pool must not hand it tasks again meanwhile.
func TestLostExecutorIsNotReadmitted(t *testing.T) {
	s1, a1 := startServer(t, "e1")
	_, a2 := startServer(t, "e2")
	pool := NewPool(1)
	pool.Auth = testClientAuth(t)
	defer pool.Close()
	pool.Set([]string{a1})
	s1.Stop()
	spec := &task.Spec{Fragment: &physical.Node{Op: physical.OpScan, Schema: types.NewSchema(), Scan: &physical.ScanSpec{}}}
	if _, err := pool.Run(context.Background(), spec); !errors.Is(err, ErrExecutorLost) {
		t.Fatalf("want ErrExecutorLost from the stopped executor, got %v", err)
	}
	pool.Set([]string{a1, a2}) // Consul has not noticed yet
	if live := pool.Live(); len(live) != 1 || live[0] != a2 {
		t.Fatalf("live after re-listing: %v", live)
	}
	pool.Set([]string{a2}) // Consul dropped it: forgotten
	pool.Set([]string{a1, a2})
	if live := pool.Live(); len(live) != 2 {
		t.Fatalf("a re-registered address was not admitted: %v", live)
	}
	// A lost executor that Consul keeps listing comes back after the cooldown.
	pool.LostCooldown = time.Millisecond
	m := pool.members[a1]
	m.running++ // as if a task were on it when it failed
	pool.release(a1, m, true, task.ID{})
	time.Sleep(5 * time.Millisecond)
	pool.Set([]string{a1, a2})
	if live := pool.Live(); len(live) != 2 {
		t.Fatalf("a lost executor was not re-admitted after the cooldown: %v", live)
	}
}

func TestRunFailsWhenNoExecutorComes(t *testing.T) {
	pool := NewPool(1)
	pool.NoExecutorTimeout = 50 * time.Millisecond
	defer pool.Close()
	_, err := pool.Run(context.Background(), &task.Spec{})
	if !errors.Is(err, ErrNoExecutors) || task.ClassOf(err) != task.Retryable {
		t.Fatalf("want a retryable ErrNoExecutors, got %v", err)
	}
}
