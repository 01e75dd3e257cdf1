package iceberg

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/iceberg-go/table"

	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/task"
)

func isSinkTask(spec *task.Spec) bool { return spec.Fragment != nil && spec.Fragment.Write != nil }

// testFailedRunCommitsNothing: a sink task that fails for good leaves the
// table at its previous snapshot with no new file in its data directory.
func testFailedRunCommitsNothing(t *testing.T, l *lake) {
	mustRun(t, l.ordersJob(t, l.writeCSV(t, "a", ordersHeader, "1,2026-12-01,1"), "append", true))
	before := tableFiles(t, l)
	fail := func(spec *task.Spec) error {
		if isSinkTask(spec) {
			return task.AsFatal(errors.New("injected"))
		}
		return nil
	}
	_, err := run(t, l.ordersJob(t, l.writeCSV(t, "b", ordersHeader, "2,2026-12-02,2", "3,2026-12-03,3", "4,2026-12-04,4"), "overwrite", true), fail)
	if err == nil || !strings.Contains(err.Error(), "nothing was committed") {
		t.Fatalf("got %v, want a failure that committed nothing", err)
	}
	tbl := l.load(t, l.tbl)
	if n := len(snapshots(t, tbl)); n != 1 {
		t.Fatalf("got %d snapshots, want 1", n)
	}
	wantRows(t, "unchanged", icebergRows(t, tbl), "1|2026-12-01|1")
	if after := tableFiles(t, l); !slices.Equal(before, after) {
		t.Fatalf("data files changed:\n before %v\n after  %v", before, after)
	}
}

// testRetriedAttemptsNeverReferenced: sink attempts that fail and are
// retried leave no file in the table: the snapshot holds exactly the
// winners' files and the data directory holds nothing else.
func testRetriedAttemptsNeverReferenced(t *testing.T, l *lake) {
	flaky := func(spec *task.Spec) error {
		if isSinkTask(spec) && spec.Attempt == 0 {
			return task.AsRetryable(errors.New("injected"))
		}
		return nil
	}
	in := l.writeCSV(t, "a", ordersHeader, "1,2026-12-01,1", "2,2026-12-02,2", "3,2026-12-03,3")
	if _, err := run(t, l.ordersJob(t, in, "append", true), flaky); err != nil {
		t.Fatal(err)
	}
	tbl := l.load(t, l.tbl)
	wantRows(t, "rows", icebergRows(t, tbl), "1|2026-12-01|1", "2|2026-12-02|2", "3|2026-12-03|3")
	referenced := currentDataFiles(t, tbl)
	slices.Sort(referenced)
	if onDisk := tableFiles(t, l); !slices.Equal(onDisk, referenced) {
		t.Fatalf("data directory holds files the snapshot does not reference:\n on disk    %v\n referenced %v", onDisk, referenced)
	}
}

// testConcurrentAppendsBothLand: two runs committing to one table at the
// same time both land, one retrying on top of the other's snapshot.
func testConcurrentAppendsBothLand(t *testing.T, l *lake) {
	mustRun(t, l.ordersJob(t, l.writeCSV(t, "seed", ordersHeader, "0,2026-12-01,0"), "append", true))
	jobs := []string{
		l.ordersJob(t, l.writeCSV(t, "a", ordersHeader, "1,2026-12-01,1", "2,2026-12-02,2"), "append", true),
		l.ordersJob(t, l.writeCSV(t, "b", ordersHeader, "3,2026-12-02,3", "4,2026-12-03,4"), "append", true),
	}
	// Both runs plan (load the table) before either commits: each waits
	// for the other's sink tasks to start.
	var started sync.WaitGroup
	started.Add(2)
	var once [2]sync.Once
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = run(t, j, func(spec *task.Spec) error {
				if isSinkTask(spec) {
					once[i].Do(started.Done)
					started.Wait()
				}
				return nil
			})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	tbl := l.load(t, l.tbl)
	if n := len(snapshots(t, tbl)); n != 3 {
		t.Fatalf("got %d snapshots, want 3", n)
	}
	wantRows(t, "both appends", icebergRows(t, tbl),
		"0|2026-12-01|0", "1|2026-12-01|1", "2|2026-12-02|2", "3|2026-12-02|3", "4|2026-12-03|4")
}

// TestFilesCarryFieldIDs: every data file's Parquet schema carries the
// table's field ids, so readers that map by id find the columns.
func TestFilesCarryFieldIDs(t *testing.T) {
	l := localLake(t)
	mustRun(t, l.ordersJob(t, l.writeCSV(t, "a", ordersHeader, "1,2026-12-01,1"), "append", true))
	tbl := l.load(t, l.tbl)
	want := map[string]int{}
	for _, f := range tbl.Schema().Fields() {
		want[f.Name] = f.ID
	}
	for _, p := range currentDataFiles(t, tbl) {
		pf, err := file.OpenParquetFile(strings.TrimPrefix(p, "file://"), false)
		if err != nil {
			t.Fatal(err)
		}
		root := pf.MetaData().Schema.Root()
		for i := range root.NumFields() {
			f := root.Field(i)
			if f.FieldID() != int32(want[f.Name()]) {
				t.Errorf("%s: column %s has field id %d, want %d", p, f.Name(), f.FieldID(), want[f.Name()])
			}
		}
		if root.NumFields() != len(want) {
			t.Errorf("%s: %d columns, want %d (partition columns stay in the files)", p, root.NumFields(), len(want))
		}
		pf.Close()
	}
}

func currentDataFiles(t *testing.T, tbl *table.Table) []string {
	t.Helper()
	tasks, err := tbl.Scan().PlanFiles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, task := range tasks {
		out = append(out, task.File.FilePath())
	}
	return out
}

// tableFiles lists the objects under a table's data directory (local or
// S3), as URLs, leaving out the hidden _staging/ prefix where a local
// zombie attempt's files stay unreferenced.
func tableFiles(t *testing.T, l *lake) []string {
	t.Helper()
	ns, name, _ := strings.Cut(l.tbl, ".")
	dir := l.warehouse + "/" + ns + ".db/" + name + "/data"
	loc, err := storage.Resolve(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	infos, err := loc.Store.List(context.Background(), loc.Key+"/")
	if err != nil && !errors.Is(err, storage.ErrNotExist) {
		t.Fatal(err)
	}
	var out []string
	for _, in := range infos {
		rel := strings.TrimPrefix(in.Key, loc.Key+"/")
		if !strings.HasPrefix(rel, "_staging/") {
			out = append(out, dir+"/"+rel)
		}
	}
	slices.Sort(out)
	return out
}
