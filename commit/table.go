package commit

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/drover-etl/drover/task"
)

// TableCommitter commits a table sink's files (URLs under the sink's
// path) as one snapshot of the table. An error must mean that no
// snapshot of run is in the table, unless it wraps ErrOutcomeUnknown.
type TableCommitter interface {
	Commit(ctx context.Context, run string, files []string) error
}

// ErrOutcomeUnknown: a table commit failed in a way that may have landed;
// its files are kept, since the table may reference them.
var ErrOutcomeUnknown = errors.New("commit outcome unknown")

// commitTable publishes the winners' files into the table's data
// directory, then has the catalog commit them. If the catalog refuses,
// the files are removed again and the table is as it was.
func (s *Sink) commitTable(ctx context.Context, winners []*task.Result) (Result, error) {
	res := Result{Sink: s.Spec.Sink, URL: s.Spec.Table.Table}
	published, err := s.publish(ctx, winners)
	if err == nil {
		err = s.Table.Commit(ctx, s.run, s.tableURLs(published))
	}
	done := context.WithoutCancel(ctx)
	if err != nil {
		if !errors.Is(err, ErrOutcomeUnknown) {
			s.unpublish(done, published, false)
		}
		return res, fmt.Errorf("table %s: %w", s.Spec.Table.Table, err)
	}
	res.Files, res.Committed = len(published), true
	s.Abort(done)
	return res, nil
}

// tableURLs names published keys the way the table's location does
// (file:///…, s3://…), which is how the table records its files.
func (s *Sink) tableURLs(keys []string) []string {
	base := strings.TrimSuffix(s.Spec.Path, "/")
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = base + "/" + strings.TrimPrefix(k, prefixOf(s.out))
	}
	return out
}
