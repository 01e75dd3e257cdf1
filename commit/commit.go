package commit

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/storage"
)

// SuccessMarker is the file a committed output directory holds.
const SuccessMarker = "_SUCCESS"

// ErrOutputExists fails a mode = "error" sink whose directory has output.
var ErrOutputExists = errors.New("output already exists")

// Sink is one sink being written by a run.
type Sink struct {
	Spec  *physical.WriteSpec
	Stage int
	// StagingDir is the URL tasks stage files under (one sub-directory per
	// task attempt).
	StagingDir string
	out        storage.Location
	staging    storage.Location
}

// Result describes a committed sink.
type Result struct {
	Sink  string
	URL   string
	Files int
	Bytes int64
}

// Prepare resolves the sink's location and enforces mode = "error" before
// any task runs.
func Prepare(ctx context.Context, w *physical.WriteSpec, stageID int, run string) (*Sink, error) {
	out, err := storage.Resolve(ctx, w.Path)
	if err != nil {
		return nil, fmt.Errorf("sink %q: %w", w.Sink, err)
	}
	out.Key = strings.TrimSuffix(out.Key, "/")
	s := &Sink{Spec: w, Stage: stageID, out: out}
	s.staging = out.Join("_staging", run)
	s.StagingDir = joinURL(w.Path, "_staging", run)
	if w.Mode == logical.ModeError {
		existing, err := visible(ctx, out)
		if err != nil {
			return nil, fmt.Errorf("sink %q: %w", w.Sink, err)
		}
		if len(existing) > 0 {
			return nil, fmt.Errorf("sink %q: %w at %s (set mode = \"overwrite\" or \"append\")", w.Sink, ErrOutputExists, out.URL())
		}
	}
	return s, nil
}

// joinURL appends path elements to a URL or path.
func joinURL(base string, elem ...string) string {
	return strings.TrimSuffix(base, "/") + "/" + strings.Join(elem, "/")
}

// StagingKey is where a task attempt stages file rel (relative to the
// output directory, e.g. "day=2026-11-20/part-00003-<uuid>.parquet").
func StagingKey(stagingDir string, partition, attempt int, rel string) string {
	return joinURL(stagingDir, fmt.Sprintf("%05d-%d", partition, attempt), rel)
}

// Commit promotes the winning attempt's files of every partition (files[p]
// are the URLs partition p's winner reported), replaces old output in
// overwrite mode, and writes _SUCCESS.
func (s *Sink) Commit(ctx context.Context, files [][]string) (Result, error) {
	res := Result{Sink: s.Spec.Sink, URL: s.out.URL()}
	old, err := visible(ctx, s.out)
	if err != nil {
		return res, err
	}
	if err := s.out.Store.Delete(ctx, s.out.Join(SuccessMarker).Key); err != nil {
		return res, err
	}
	promoted := map[string]bool{}
	for p, fs := range files {
		for _, f := range fs {
			key, err := s.promote(ctx, p, f)
			if err != nil {
				return res, err
			}
			promoted[key] = true
			res.Files++
		}
	}
	if s.Spec.Mode == logical.ModeOverwrite {
		for _, in := range old {
			if !promoted[in.Key] {
				if err := s.out.Store.Delete(ctx, in.Key); err != nil {
					return res, err
				}
			}
		}
	}
	if err := writeMarker(ctx, s.out.Join(SuccessMarker)); err != nil {
		return res, err
	}
	s.Abort(ctx) // the staging prefix now holds only losing attempts
	return res, nil
}

// promote moves one staged file into the output directory.
func (s *Sink) promote(ctx context.Context, partition int, fileURL string) (string, error) {
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
		return "", fmt.Errorf("promote %s: %w", fileURL, err)
	}
	return dst, nil
}

// Abort deletes everything staged by this run.
func (s *Sink) Abort(ctx context.Context) {
	infos, err := s.out.Store.List(ctx, s.staging.Key+"/")
	if err != nil {
		return
	}
	for _, in := range infos {
		s.out.Store.Delete(ctx, in.Key)
	}
}

// visible lists the committed output files (hidden names excluded).
func visible(ctx context.Context, out storage.Location) ([]storage.Info, error) {
	prefix := out.Key
	if prefix != "" {
		prefix += "/"
	}
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
