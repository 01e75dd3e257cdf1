package driver

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/stage"
	_ "github.com/drover-etl/drover/storage/local"
)

// sinkGraph is one stage per sink path, each scanning the given files.
func sinkGraph(inputs []string, paths ...string) *stage.Graph {
	var splits []format.Split
	for _, in := range inputs {
		splits = append(splits, format.Split{URL: in})
	}
	g := &stage.Graph{}
	for i, p := range paths {
		scan := &physical.Node{Op: physical.OpScan, Scan: &physical.ScanSpec{Source: "src", Splits: splits}}
		w := &physical.Node{Op: physical.OpWrite, Inputs: []*physical.Node{scan},
			Write: &physical.WriteSpec{Sink: "sink" + string(rune('a'+i)), Path: p, Mode: logical.ModeOverwrite}}
		g.Stages = append(g.Stages, &stage.Stage{ID: i, Root: w, Partitions: 1})
	}
	return g
}

func TestCheckSinks(t *testing.T) {
	wd, _ := os.Getwd()
	for _, tc := range []struct {
		name    string
		inputs  []string
		paths   []string
		shuffle string
		want    string // "" = accepted
	}{
		{"separate", []string{"s3://b/in/x.csv"}, []string{"s3://b/out/a", "s3://b/out/b"}, "s3://b/shuffle/run", ""},
		{"bucket root", nil, []string{"s3://b"}, "", "root of bucket"},
		{"not normal", nil, []string{"./out/x"}, "", "does not normalize"},
		{"dot dot", nil, []string{"../out"}, "", "climbs out"},
		{"nested sinks", nil, []string{"s3://b/out", "s3://b/out/sub/"}, "", "each other's directory"},
		{"same sink spelled twice", nil, []string{"out/x", filepath.Join(wd, "out/x") + "/"}, "", "each other's directory"},
		{"sink over its source", []string{"s3://b/data/day=1/f.parquet"}, []string{"s3://b/data"}, "", `source "src" reads`},
		{"sink is the source file's dir", []string{"/tmp/t/in/f.csv"}, []string{"/tmp/t/in/"}, "", `source "src" reads`},
		{"source beside sink", []string{"s3://b/data2/f.csv"}, []string{"s3://b/data"}, "", ""},
		{"shuffle inside sink", nil, []string{"s3://b/out"}, "s3://b/out/shuffle", "shuffle directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkSinks(sinkGraph(tc.inputs, tc.paths...), tc.shuffle)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("got %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

// Every sink check runs before any task: a bad second sink means no task
// ran, and the lock the first sink took is released.
func TestSinkChecksRunBeforeTasks(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := os.MkdirAll(b, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b, "old.csv"), []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		second string
		want   string
	}{{"s3://b", "root of bucket"}, {b, "output already exists"}} {
		g := sinkGraph(nil, a, tc.second)
		g.Stages[0].Root.Write.Mode = logical.ModeError
		g.Stages[1].Root.Write.Mode = logical.ModeError
		ex := &fakeExec{slots: 1}
		if _, err := Run(context.Background(), g, Config{Executor: ex, Run: "r"}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Fatalf("got %v, want %q", err, tc.want)
		}
		if len(ex.runs) != 0 {
			t.Fatalf("%d tasks ran before the sink checks failed", len(ex.runs))
		}
		if _, err := os.Stat(a); !os.IsNotExist(err) {
			entries, _ := os.ReadDir(a)
			t.Fatalf("sink a left behind: %v", entries)
		}
	}
}
