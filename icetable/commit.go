package icetable

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/apache/iceberg-go"
	"github.com/apache/iceberg-go/catalog"
	"github.com/apache/iceberg-go/table"

	"github.com/drover-etl/drover/commit"
)

// Commit adds files (URLs under DataDir, written by the run's winning
// task attempts) to the table as ONE snapshot, creating the table first
// if it does not exist. When another writer commits first, the table is
// reloaded and the snapshot rebuilt against it (an overwrite then removes
// what is current at that point). An error leaves no snapshot of this
// run in the table: an ambiguous failure is resolved by looking for the
// run's snapshot, and reported as success if it is there.
func (s *Sink) Commit(ctx context.Context, run string, files []string) error {
	var err error
	for attempt := range max(s.MaxAttempts, 1) {
		if attempt > 0 {
			if err := sleep(ctx, backoff(attempt)); err != nil {
				return err
			}
		}
		var base int64
		base, err = s.commitOnce(ctx, run, files, attempt)
		if err == nil || errors.Is(err, table.ErrCommitFailed) {
			if err == nil {
				return nil
			}
			continue
		}
		// Catalogs report a lost race differently (the SQL catalog as a
		// failed requirement, not ErrCommitFailed): look at the table.
		landed, moved, lerr := s.inspect(context.WithoutCancel(ctx), run, base)
		switch {
		case lerr != nil:
			return fmt.Errorf("commit to table %s: %w: %v (and checking for the snapshot failed: %v)", s.name(), commit.ErrOutcomeUnknown, err, lerr)
		case landed:
			return nil
		case !moved:
			return fmt.Errorf("commit to table %s: %w", s.name(), err)
		}
	}
	return fmt.Errorf("%w: table %s: %d attempts lost to concurrent writers: %v", ErrCommitConflict, s.name(), s.MaxAttempts, err)
}

func backoff(attempt int) time.Duration {
	return min(time.Duration(50<<attempt)*time.Millisecond, 5*time.Second)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// noSnapshot is the base of a commit into a table without snapshots.
const noSnapshot = -1

// commitOnce builds and commits the snapshot against the table as it is
// now; base is the snapshot it built on.
func (s *Sink) commitOnce(ctx context.Context, run string, files []string, attempt int) (base int64, err error) {
	tbl, err := s.table(ctx)
	if err != nil {
		return noSnapshot, err
	}
	base = currentID(tbl)
	added, err := dataFiles(ctx, tbl, files)
	if err != nil {
		return base, err
	}
	removed, err := s.replaced(ctx, tbl, added)
	if err != nil {
		return base, err
	}
	if len(added) == 0 && len(removed) == 0 {
		return base, nil // appending nothing: no snapshot to make
	}
	tx := tbl.NewTransaction()
	props := iceberg.Properties{RunProperty: run}
	// Every file carries field ids: no name mapping, whose presence would
	// tell readers (Drover's too) that some files must be matched by name.
	if err := tx.ReplaceDataFilesWithDataFiles(ctx, removed, added, props, table.WithoutAutoNameMapping()); err != nil {
		return base, err
	}
	if s.beforeCommit != nil {
		s.beforeCommit(attempt)
	}
	_, err = tx.Commit(ctx)
	return base, err
}

func currentID(tbl *table.Table) int64 {
	if s := tbl.CurrentSnapshot(); s != nil {
		return s.SnapshotID
	}
	return noSnapshot
}

// table loads the table, creating it (and its namespace) on first write.
func (s *Sink) table(ctx context.Context) (*table.Table, error) {
	tbl, err := s.cat.LoadTable(ctx, s.Ident)
	if err == nil || s.create == nil || !errors.Is(err, catalog.ErrNoSuchTable) {
		if err != nil {
			return nil, fmt.Errorf("load table %s: %w", s.name(), err)
		}
		return tbl, s.checkIDs(tbl)
	}
	ns := s.Ident[:len(s.Ident)-1]
	if err := s.cat.CreateNamespace(ctx, ns, nil); err != nil && !errors.Is(err, catalog.ErrNamespaceAlreadyExists) {
		return nil, fmt.Errorf("create namespace of %s: %w", s.name(), err)
	}
	spec, err := partitionSpec(s.create, s.PartitionBy)
	if err != nil {
		return nil, err
	}
	tbl, err = s.cat.CreateTable(ctx, s.Ident, s.create, catalog.WithLocation(s.Location), catalog.WithPartitionSpec(spec))
	if errors.Is(err, catalog.ErrTableAlreadyExists) {
		// Another run created it first: commit into theirs if it fits.
		tbl, err = s.cat.LoadTable(ctx, s.Ident)
	}
	if err != nil {
		return nil, fmt.Errorf("create table %s: %w", s.name(), err)
	}
	return tbl, s.checkIDs(tbl)
}

// checkIDs makes sure the files' field ids are the table's: a table
// created or replaced concurrently with different columns must not
// receive files whose ids mean other columns.
func (s *Sink) checkIDs(tbl *table.Table) error {
	ids, err := fieldIDs(tbl.Schema(), s.cols)
	if err != nil {
		return fmt.Errorf("table %s changed during the run: %w", s.name(), err)
	}
	if !slices.Equal(ids, s.FieldIDs) {
		return fmt.Errorf("%w: table %s changed during the run: its field ids are %v, the written files carry %v", ErrSchema, s.name(), ids, s.FieldIDs)
	}
	return nil
}

// dataFiles reads each new file's footer for its statistics and
// (identity) partition values.
func dataFiles(ctx context.Context, tbl *table.Table, files []string) ([]iceberg.DataFile, error) {
	fs, err := tbl.FS(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]iceberg.DataFile, 0, len(files))
	for _, f := range files {
		df, err := table.FileToDataFile(ctx, fs, f, tbl.Schema(), tbl.Spec(), 0, tbl.Properties())
		if err != nil {
			return nil, fmt.Errorf("read statistics of %s: %w", f, err)
		}
		out = append(out, df)
	}
	return out, nil
}

// replaced lists the current files the new snapshot removes.
func (s *Sink) replaced(ctx context.Context, tbl *table.Table, added []iceberg.DataFile) ([]iceberg.DataFile, error) {
	if s.Mode == Append || s.Mode == ErrorIfData || tbl.CurrentSnapshot() == nil {
		return nil, nil
	}
	current, err := currentFiles(ctx, tbl)
	if err != nil {
		return nil, err
	}
	if spec := tbl.Spec(); s.Mode == Overwrite || spec.NumFields() == 0 {
		return current, nil
	}
	touched := map[string]bool{}
	for _, df := range added {
		touched[partitionKey(df)] = true
	}
	var out []iceberg.DataFile
	for _, df := range current {
		if touched[partitionKey(df)] {
			out = append(out, df)
		}
	}
	return out, nil
}

func currentFiles(ctx context.Context, tbl *table.Table) ([]iceberg.DataFile, error) {
	tasks, err := tbl.Scan(table.WithSnapshotID(tbl.CurrentSnapshot().SnapshotID)).PlanFiles(ctx)
	if err != nil {
		return nil, fmt.Errorf("list current files: %w", err)
	}
	out := make([]iceberg.DataFile, len(tasks))
	for i, t := range tasks {
		out[i] = t.File
	}
	return out, nil
}

// partitionKey identifies a file's partition. A NULL value may be an
// absent key or a nil one depending on where the DataFile came from;
// both mean the NULL partition (fmt prints maps sorted by key).
func partitionKey(df iceberg.DataFile) string {
	vals := map[int]any{}
	for k, v := range df.Partition() {
		if v != nil {
			vals[k] = v
		}
	}
	return fmt.Sprintf("%d:%v", df.SpecID(), vals)
}

// inspect reloads the table after a failed commit: landed says a
// snapshot of run is in it, moved that its current snapshot is no longer
// base (another writer won the race).
func (s *Sink) inspect(ctx context.Context, run string, base int64) (landed, moved bool, err error) {
	tbl, err := s.cat.LoadTable(ctx, s.Ident)
	if errors.Is(err, catalog.ErrNoSuchTable) && s.create != nil {
		return false, false, nil
	}
	if err != nil {
		return false, false, err
	}
	for _, snap := range tbl.Metadata().Snapshots() {
		if snap.Summary != nil && snap.Summary.Properties[RunProperty] == run {
			return true, false, nil
		}
	}
	return false, currentID(tbl) != base, nil
}

var _ commit.TableCommitter = (*Sink)(nil)
