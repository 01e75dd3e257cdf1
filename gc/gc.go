package gc

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/drover-etl/drover/commit"
	"github.com/drover-etl/drover/runlease"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/task"
)

// DefaultOlderThan is how long a run must have been silent (no renewal of
// its record, no new object) to count as crashed. Live runs renew every
// runlease.DefaultRenew.
const DefaultOlderThan = 10 * time.Minute

// Job is an executor job as a JobReaper reports it.
type Job struct {
	ID         string
	Run        string
	ShuffleDir string
	Submitted  time.Time
	// Dead: the job has no running or pending executor.
	Dead bool
}

// JobReaper purges executor jobs (with their variables and services).
type JobReaper interface {
	Reap(ctx context.Context, doomed func(Job) bool) ([]string, error)
}

// Options steer one collection.
type Options struct {
	// ShuffleRoot is the --shuffle-dir runs were given; each run's
	// directory is <ShuffleRoot>/<run>.
	ShuffleRoot string
	// OlderThan: see DefaultOlderThan (used when 0).
	OlderThan time.Duration
	// Jobs, when set, reaps executor jobs of crashed runs.
	Jobs JobReaper
	// Keep names runs never collected: the run a driver is resuming.
	Keep []string
}

// Report says what was removed.
type Report struct {
	Runs    []string // crashed runs cleaned
	Objects int      // shuffle objects
	Uploads int      // incomplete uploads (shuffle and sinks)
	Staged  int      // staged sink files
	// Unpublished: sink files a commit published before it died, ahead of
	// its manifest (never part of the committed output).
	Unpublished int
	Locks       int      // run locks
	Jobs        []string // Nomad jobs purged
}

// runDir matches the run IDs engine.NewRunID makes, and those `--run
// ${NOMAD_JOB_ID}` makes of a dispatched Nomad job ("<parent>/dispatch-
// <unix time>-<8 hex>") or a periodic one's launch ("<parent>/periodic-
// <unix time>"), '/' replaced.
var runDir = regexp.MustCompile(`^([0-9]{8}T[0-9]{6}-[0-9a-f]{8}|[A-Za-z0-9][A-Za-z0-9._-]*-dispatch-[0-9]+-[0-9a-f]{8}|[A-Za-z0-9][A-Za-z0-9._-]*-periodic-[0-9]+)$`)

// run is one run directory found under the root.
type run struct {
	id     string
	keys   []string
	newest time.Time
}

// Collect cleans every crashed run under o.ShuffleRoot. It goes on past a
// run it cannot clean and returns the first error with the report of what
// it did.
func Collect(ctx context.Context, o Options) (Report, error) {
	var rep Report
	if o.OlderThan <= 0 {
		o.OlderThan = DefaultOlderThan
	}
	root, err := storage.Resolve(ctx, strings.TrimSuffix(o.ShuffleRoot, "/"))
	if err != nil {
		return rep, err
	}
	runs, err := listRuns(ctx, root)
	if err != nil {
		return rep, err
	}
	var first error
	crashed := map[string]bool{}
	live := map[string]bool{}
	for _, r := range runs {
		if time.Since(r.newest) < o.OlderThan || slices.Contains(o.Keep, r.id) {
			live[r.id] = true
			continue
		}
		crashed[r.id] = true
		if err := cleanRun(ctx, root, r, &rep); err != nil && first == nil {
			first = fmt.Errorf("run %s: %w", r.id, err)
		}
	}
	if o.Jobs != nil {
		canon := commit.Canonical(o.ShuffleRoot)
		jobs, err := o.Jobs.Reap(ctx, func(j Job) bool {
			old := time.Since(j.Submitted) >= o.OlderThan
			ours := j.ShuffleDir != "" && commit.Canonical(j.ShuffleDir) == canon
			// A job of a crashed run here; or one of ours, old, whose run
			// left no trace and is not live; or any old job with no
			// executor left (its lease expired).
			if slices.Contains(o.Keep, j.Run) {
				return false
			}
			return crashed[j.Run] || (ours && old && !live[j.Run]) || (old && j.Dead)
		})
		rep.Jobs = jobs
		if err != nil && first == nil {
			first = fmt.Errorf("executor jobs: %w", err)
		}
	}
	return rep, first
}

// listRuns groups the objects under root by run directory.
func listRuns(ctx context.Context, root storage.Location) ([]*run, error) {
	prefix := ""
	if root.Key != "" {
		prefix = root.Key + "/" // a shuffle root may be a whole bucket
	}
	infos, err := root.Store.List(ctx, prefix)
	if err != nil && !errors.Is(err, storage.ErrNotExist) {
		return nil, err
	}
	byID := map[string]*run{}
	for _, in := range infos {
		id, _, ok := strings.Cut(strings.TrimPrefix(in.Key, prefix), "/")
		if !ok || !runDir.MatchString(id) {
			continue // plugins/ and anything that is not a run
		}
		r := byID[id]
		if r == nil {
			r = &run{id: id}
			byID[id] = r
		}
		r.keys = append(r.keys, in.Key)
		if in.ModTime.After(r.newest) {
			r.newest = in.ModTime
		}
	}
	out := make([]*run, 0, len(byID))
	for _, r := range byID {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out, nil
}

// cleanRun removes one crashed run's leftovers; its record goes last, so
// a cleanup cut short is found and finished by the next one.
func cleanRun(ctx context.Context, root storage.Location, r *run, rep *Report) error {
	dir := root.Join(r.id)
	rec, err := runlease.Read(ctx, dir)
	if err != nil && !errors.Is(err, storage.ErrNotExist) {
		return err
	}
	if rec != nil {
		for _, sink := range rec.Sinks {
			n, err := commit.CleanRun(ctx, sink, r.id)
			rep.Staged, rep.Uploads, rep.Locks = rep.Staged+n.Staged, rep.Uploads+n.Uploads, rep.Locks+n.Locks
			rep.Unpublished += n.Unpublished
			if err != nil {
				return fmt.Errorf("sink %s: %w", sink, err)
			}
		}
		if ua, ok := root.Store.(storage.UploadAborter); ok {
			n, err := ua.AbortUploadsAt(ctx, shuffleKeys(dir, rec))
			rep.Uploads += n
			if err != nil {
				return err
			}
		}
	}
	if dc, ok := root.Store.(storage.DeferredCreator); ok {
		n, err := dc.AbortAllDeferred(ctx, dir.Key+"/", nil)
		rep.Uploads += n
		if err != nil {
			return err
		}
	}
	record := dir.Join(runlease.RecordName).Key
	for _, k := range r.keys {
		if k == record {
			continue
		}
		if err := root.Store.Delete(ctx, k); err != nil {
			return err
		}
		rep.Objects++
	}
	if err := root.Store.Delete(ctx, record); err != nil {
		return err
	}
	if dp, ok := root.Store.(storage.DirPruner); ok {
		dp.PruneDirs(ctx, dir.Key)
	}
	rep.Runs = append(rep.Runs, r.id)
	return nil
}

// shuffleKeys are the keys of every map attempt the record names.
func shuffleKeys(dir storage.Location, rec *runlease.Record) []string {
	var keys []string
	for _, a := range rec.Attempts {
		for i := range a.Count {
			keys = append(keys, dir.Join(strings.TrimPrefix(task.ShuffleURL("", a.Stage, a.Partition, i), "/")).Key)
		}
	}
	return keys
}
