package commit

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/task"
)

// SuccessMarker is the file a committed output directory holds.
const SuccessMarker = "_SUCCESS"

// Sink is one sink being written by a run.
type Sink struct {
	Spec  *physical.WriteSpec
	Stage int
	// StagingDir is the URL tasks stage files under (one sub-directory per
	// task attempt).
	StagingDir string
	// Table commits a table sink (Spec.Table set) instead of publishing a
	// directory with a manifest and _SUCCESS.
	Table   TableCommitter
	run     string
	out     storage.Location
	staging storage.Location
	// locked: this run holds the sink's lock (mode = "error"), whose
	// content is lockData.
	locked   bool
	lockData []byte
	// adopted: the lock was taken by an earlier driver of this same run,
	// which checked the sink had no output then; the lock kept it so.
	adopted bool
}

// Result describes a committed sink.
type Result struct {
	Sink  string
	URL   string
	Files int
	Bytes int64
	// Committed: the new output is visible (even if a later step failed).
	Committed bool
}

// Prepare checks the sink's path (CheckPath), resolves its location and,
// for mode = "error", takes the sink's run lock and checks that it has no
// output yet, all before any task runs. A prepared sink must end with
// Commit or Abort, which releases the lock.
func Prepare(ctx context.Context, w *physical.WriteSpec, stageID int, run string) (*Sink, error) {
	if err := CheckPath(w.Path); err != nil {
		return nil, fmt.Errorf("sink %q: %w", w.Sink, err)
	}
	out, err := storage.Resolve(ctx, w.Path)
	if err != nil {
		return nil, fmt.Errorf("sink %q: %w", w.Sink, err)
	}
	out.Key = strings.TrimSuffix(out.Key, "/")
	s := &Sink{Spec: w, Stage: stageID, run: run, out: out}
	s.staging = out.Join("_staging", run)
	s.StagingDir = joinURL(w.Path, "_staging", run)
	// A table sink's mode = "error" is the table's business (icetable
	// checks for a snapshot at planning); its data directory is shared.
	if w.Mode != logical.ModeError || w.Table != nil {
		return s, nil
	}
	// Lock first, then look: a run that gets the lock after another
	// committed and unlocked sees that run's output.
	if err := s.lock(ctx); err != nil {
		return nil, fmt.Errorf("sink %q: %w", w.Sink, err)
	}
	if s.adopted {
		return s, nil
	}
	exists, err := hasOutput(ctx, out)
	if err == nil && exists {
		err = fmt.Errorf("%w at %s (set mode = \"overwrite\" or \"append\")", ErrOutputExists, out.URL())
	}
	if err != nil {
		s.unlock(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("sink %q: %w", w.Sink, err)
	}
	return s, nil
}

// URL is the sink's output directory as its store renders it.
func (s *Sink) URL() string { return s.out.URL() }

// joinURL appends path elements to a URL or path.
func joinURL(base string, elem ...string) string {
	return strings.TrimSuffix(base, "/") + "/" + strings.Join(elem, "/")
}

// StagingKey is where a task attempt stages file rel (relative to the
// output directory, e.g. "day=2026-11-20/part-00003-<uuid>.parquet").
func StagingKey(stagingDir string, partition, attempt int, rel string) string {
	return joinURL(stagingDir, fmt.Sprintf("%05d-%d", partition, attempt), rel)
}

// Commit publishes the files of every partition's winning attempt
// (winners[p] is partition p's result), writes the manifest that makes
// them the directory's committed version, replaces in overwrite mode what
// an earlier Drover commit wrote there (and nothing else), writes
// _SUCCESS and cleans up after the run (see Abort). A commit that fails
// before its manifest is written takes back what it published, so the
// previous output stays as it was.
func (s *Sink) Commit(ctx context.Context, winners []*task.Result) (Result, error) {
	if s.Spec.Table != nil {
		if s.Table == nil {
			return Result{Sink: s.Spec.Sink}, fmt.Errorf("sink %q writes table %s but no table committer was given", s.Spec.Sink, s.Spec.Table.Table)
		}
		return s.commitTable(ctx, winners)
	}
	res := Result{Sink: s.Spec.Sink, URL: s.out.URL()}
	prev, err := storage.ReadManifest(ctx, s.out)
	if err != nil {
		return res, err
	}
	if prev != nil && prev.Run == s.run {
		// A resumed run whose dead driver got past the commit point.
		return s.finishCommitted(ctx, prev)
	}
	old, err := visible(ctx, s.out)
	if err != nil {
		return res, err
	}
	marker := s.out.Join(SuccessMarker)
	_, statErr := s.out.Store.Stat(ctx, marker.Key)
	hadMarker := statErr == nil
	if err := s.out.Store.Delete(ctx, marker.Key); err != nil {
		return res, err
	}
	published, err := s.publish(ctx, winners)
	var next *storage.Manifest
	if err == nil {
		next, err = s.nextManifest(ctx, prev, old, published)
	}
	if err == nil {
		err = s.writeManifest(ctx, prev, next)
	}
	if err != nil {
		s.unpublish(context.WithoutCancel(ctx), published, hadMarker)
		return res, err
	}
	// The manifest was the commit point: readers now see the new output.
	// What follows must finish even if the job is being cancelled.
	done := context.WithoutCancel(ctx)
	res.Files, res.Committed = len(published), true
	res.Bytes = s.bytesOf(next, published)
	if s.Spec.Mode == logical.ModeOverwrite {
		if err := s.deleteOld(done, prev, old, next, hadMarker); err != nil {
			return res, fmt.Errorf("%w: removing the previous output: %v", ErrCleanupIncomplete, err)
		}
	}
	if err := writeMarker(done, marker); err != nil {
		return res, fmt.Errorf("%w: writing %s: %v", ErrCleanupIncomplete, SuccessMarker, err)
	}
	s.Abort(done) // only losing, failed and late attempts are left
	return res, nil
}

// publish makes each winner's files visible under their final keys and
// returns those keys: staged files are renamed into the output, deferred
// ones completed where they are.
func (s *Sink) publish(ctx context.Context, winners []*task.Result) ([]string, error) {
	var keys []string
	for _, r := range winners {
		if r == nil {
			continue
		}
		for _, f := range r.Files {
			key, err := s.promote(ctx, f)
			if err != nil {
				return keys, err
			}
			keys = append(keys, key)
		}
		for _, f := range r.Deferred {
			key, err := s.complete(ctx, f)
			if key != "" {
				// Recorded even when completion failed: an ambiguous
				// failure may have completed it, and unpublish must see it.
				keys = append(keys, key)
			}
			if err != nil {
				return keys, err
			}
		}
	}
	return keys, nil
}

// unpublish deletes files this commit published (new, run-tagged keys)
// and puts back the _SUCCESS marker the old output had.
func (s *Sink) unpublish(ctx context.Context, keys []string, hadMarker bool) {
	for _, k := range keys {
		s.out.Store.Delete(ctx, k)
	}
	if hadMarker {
		writeMarker(ctx, s.out.Join(SuccessMarker))
	}
}

// promote moves one staged file into the output directory.
func (s *Sink) promote(ctx context.Context, fileURL string) (string, error) {
	loc, err := storage.Resolve(ctx, fileURL)
	if err != nil {
		return "", err
	}
	prefix := s.staging.Key + "/"
	if !strings.HasPrefix(loc.Key, prefix) {
		return "", fmt.Errorf("staged file %s is outside %s", fileURL, s.staging.URL())
	}
	rest := strings.TrimPrefix(loc.Key, prefix)
	_, rel, ok := strings.Cut(rest, "/") // drop the "<partition>-<attempt>" folder
	if !ok {
		return "", fmt.Errorf("staged file %s has no attempt folder", fileURL)
	}
	dst := s.out.Join(rel).Key
	if err := s.out.Store.Rename(ctx, loc.Key, dst); err != nil {
		if s.promotedBefore(ctx, loc.Key, dst) {
			return dst, nil
		}
		return "", fmt.Errorf("promote %s: %w", fileURL, err)
	}
	return dst, nil
}

// promotedBefore: a resumed commit finds a staged file already moved to
// its destination by the run's dead driver. Output names carry the run's
// tag and a unique ID, so the destination can only be that file.
func (s *Sink) promotedBefore(ctx context.Context, src, dst string) bool {
	if _, err := s.out.Store.Stat(ctx, src); !errors.Is(err, storage.ErrNotExist) {
		return false
	}
	_, err := s.out.Store.Stat(ctx, dst)
	return err == nil && ofRun(s.run, dst)
}

// finishCommitted ends a commit whose manifest (the commit point) an
// earlier driver of this run wrote before it died: _SUCCESS and cleanup.
// In overwrite mode the previous manifest is gone, so the files an
// overwrite deletes are found by name: Drover-named files the new
// manifest does not list (as for output from before manifests).
func (s *Sink) finishCommitted(ctx context.Context, m *storage.Manifest) (Result, error) {
	res := Result{Sink: s.Spec.Sink, URL: s.out.URL(), Committed: true}
	for _, f := range m.Files {
		if ofRun(s.run, f.Path) {
			res.Files++
			res.Bytes += f.Size
		}
	}
	done := context.WithoutCancel(ctx)
	if s.Spec.Mode == logical.ModeOverwrite {
		old, err := visible(done, s.out)
		if err == nil {
			err = s.deleteOld(done, nil, old, m, true)
		}
		if err != nil {
			return res, fmt.Errorf("%w: removing the previous output: %v", ErrCleanupIncomplete, err)
		}
	}
	if err := writeMarker(done, s.out.Join(SuccessMarker)); err != nil {
		return res, fmt.Errorf("%w: writing %s: %v", ErrCleanupIncomplete, SuccessMarker, err)
	}
	s.Abort(done)
	return res, nil
}

// complete makes one deferred file visible where it was written.
func (s *Sink) complete(ctx context.Context, f task.DeferredFile) (string, error) {
	loc, err := storage.Resolve(ctx, f.URL)
	if err != nil {
		return "", err
	}
	dc, ok := s.out.Store.(storage.DeferredCreator)
	inOut := loc.URL() == s.out.Store.URL(loc.Key) && strings.HasPrefix(loc.Key, prefixOf(s.out))
	if !ok || !inOut || !ofRun(s.run, loc.Key) {
		return "", fmt.Errorf("deferred file %s is not this run's output in %s", f.URL, s.out.URL())
	}
	if err := dc.CompleteDeferred(ctx, loc.Key, f.Token); err != nil {
		return loc.Key, fmt.Errorf("complete %s: %w", f.URL, err)
	}
	return loc.Key, nil
}

// Abort removes everything this run left unpublished: the staging prefix
// (and its directories, on stores that have them) and, on stores that
// defer completion, every incomplete object of the run under the output
// directory, whether its attempt reported it or not; and it releases the
// run lock. It runs when a job fails and at the end of every commit.
func (s *Sink) Abort(ctx context.Context) {
	if infos, err := s.out.Store.List(ctx, s.staging.Key+"/"); err == nil {
		for _, in := range infos {
			s.out.Store.Delete(ctx, in.Key)
		}
	}
	if dp, ok := s.out.Store.(storage.DirPruner); ok {
		dp.PruneDirs(ctx, s.staging.Key)
	}
	if dc, ok := s.out.Store.(storage.DeferredCreator); ok {
		dc.AbortAllDeferred(ctx, prefixOf(s.out), func(key string) bool { return ofRun(s.run, key) })
	}
	s.unlock(ctx)
}

// prefixOf is the listing prefix of the objects below a directory.
func prefixOf(dir storage.Location) string {
	if dir.Key == "" {
		return ""
	}
	return dir.Key + "/"
}

// visible lists the committed output files (hidden names excluded).
func visible(ctx context.Context, out storage.Location) ([]storage.Info, error) {
	prefix := prefixOf(out)
	infos, err := out.Store.List(ctx, prefix)
	if err != nil {
		if errors.Is(err, storage.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	var keep []storage.Info
	for _, in := range infos {
		if !hidden(strings.TrimPrefix(in.Key, prefix)) {
			keep = append(keep, in)
		}
	}
	return keep, nil
}

func hidden(rel string) bool {
	for _, seg := range strings.Split(rel, "/") {
		if strings.HasPrefix(seg, "_") || strings.HasPrefix(seg, ".") {
			return true
		}
	}
	return false
}

func writeMarker(ctx context.Context, loc storage.Location) error {
	w, err := loc.Store.Create(ctx, loc.Key)
	if err != nil {
		return err
	}
	return w.Close()
}
