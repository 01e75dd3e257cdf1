package journal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/drover-etl/drover/storage"
)

// DirName is the journal's folder inside the run's shuffle directory.
const DirName = "_journal"

// Journal appends entries to one run's journal. It is safe for
// concurrent use; entries are numbered in the order Append is called.
type Journal struct {
	dir  storage.Location
	mu   sync.Mutex
	next int
}

// Start begins the journal of a new run in its shuffle directory and
// writes its header. It fails if the run already has a journal: a run ID
// is resumed with Resume, never started twice.
func Start(ctx context.Context, shuffleDir string, h Header) (*Journal, error) {
	dir, err := resolve(ctx, shuffleDir)
	if err != nil {
		return nil, err
	}
	infos, err := list(ctx, dir)
	if err != nil {
		return nil, err
	}
	if len(infos) > 0 {
		return nil, fmt.Errorf("run %s already has a journal at %s: resume it (--resume %s) or use a new run ID", h.Run, dir.URL(), h.Run)
	}
	j := &Journal{dir: dir}
	h.Incarnation = 1
	if err := j.Append(ctx, Entry{Kind: KindHeader, Header: &h}); err != nil {
		return nil, err
	}
	return j, nil
}

// Resume reads a run's journal, checks that it is the same run and plan
// as h describes, and continues it with a new header (the next
// incarnation). The State says what the earlier drivers finished.
func Resume(ctx context.Context, shuffleDir string, h Header) (*Journal, *State, error) {
	dir, err := resolve(ctx, shuffleDir)
	if err != nil {
		return nil, nil, err
	}
	entries, err := readAll(ctx, dir)
	if err != nil {
		return nil, nil, err
	}
	if len(entries) == 0 {
		return nil, nil, fmt.Errorf("run %s: %w at %s", h.Run, ErrNoJournal, dir.URL())
	}
	st, err := replay(entries)
	if err != nil {
		return nil, nil, fmt.Errorf("journal %s: %w", dir.URL(), err)
	}
	if st.Header.Run != h.Run || st.Header.Job != h.Job {
		return nil, nil, fmt.Errorf("journal %s belongs to job %q run %s, not job %q run %s", dir.URL(), st.Header.Job, st.Header.Run, h.Job, h.Run)
	}
	if st.Header.Plan != h.Plan {
		hint := ""
		if !st.Header.PlanTime.IsZero() && !st.Header.PlanTime.Equal(h.PlanTime) {
			// The caller should have planned at the journaled instant (ReadHeader).
			hint = fmt.Sprintf(", and it was planned at %s, not the journaled %s",
				h.PlanTime.UTC().Format(time.RFC3339Nano), st.Header.PlanTime.UTC().Format(time.RFC3339Nano))
		}
		return nil, nil, fmt.Errorf("run %s: %w (journaled plan %.12s, now %.12s%s); start a new run instead", h.Run, ErrPlanChanged, st.Header.Plan, h.Plan, hint)
	}
	j := &Journal{dir: dir, next: entries[len(entries)-1].Seq + 1}
	h.Incarnation = st.Incarnation + 1
	if err := j.Append(ctx, Entry{Kind: KindHeader, Header: &h}); err != nil {
		return nil, nil, err
	}
	st.Incarnation = h.Incarnation
	return j, st, nil
}

// ReadHeader returns the run's first header (ErrNoJournal: none), read
// before planning a resume: its PlanTime is the instant to plan at.
func ReadHeader(ctx context.Context, shuffleDir string) (*Header, error) {
	dir, err := resolve(ctx, shuffleDir)
	if err != nil {
		return nil, err
	}
	loc := dir.Join(name(0))
	if _, err := loc.Store.Stat(ctx, loc.Key); errors.Is(err, storage.ErrNotExist) {
		return nil, fmt.Errorf("%w at %s", ErrNoJournal, dir.URL())
	} else if err != nil {
		return nil, fmt.Errorf("read journal %s: %w", loc.URL(), err)
	}
	e, err := readEntry(ctx, loc.Store, loc.Key)
	if err != nil {
		return nil, err
	}
	if e.Kind != KindHeader || e.Header == nil {
		return nil, fmt.Errorf("journal %s: the first entry is not the run's header", loc.URL())
	}
	return e.Header, nil
}

// Exists reports whether the run in shuffleDir has a journal.
func Exists(ctx context.Context, shuffleDir string) (bool, error) {
	dir, err := resolve(ctx, shuffleDir)
	if err != nil {
		return false, err
	}
	infos, err := list(ctx, dir)
	return len(infos) > 0, err
}

// Append writes one entry as the journal's next object. Entries are
// numbered under a lock and written outside it, so concurrent tasks do
// not wait on each other's writes; the reader orders them by number.
func (j *Journal) Append(ctx context.Context, e Entry) error {
	j.mu.Lock()
	e.Seq, e.Version = j.next, Version
	j.next++
	j.mu.Unlock()
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("journal entry %d: %w", e.Seq, err)
	}
	loc := j.dir.Join(name(e.Seq))
	w, err := loc.Store.Create(ctx, loc.Key)
	if err != nil {
		return fmt.Errorf("write journal %s: %w", loc.URL(), err)
	}
	if _, err := w.Write(b); err != nil {
		w.Abort()
		return fmt.Errorf("write journal %s: %w", loc.URL(), err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("write journal %s: %w", loc.URL(), err)
	}
	return nil
}

func name(seq int) string { return fmt.Sprintf("%09d.json", seq) }

func resolve(ctx context.Context, shuffleDir string) (storage.Location, error) {
	loc, err := storage.Resolve(ctx, strings.TrimSuffix(shuffleDir, "/"))
	if err != nil {
		return loc, err
	}
	return loc.Join(DirName), nil
}

func list(ctx context.Context, dir storage.Location) ([]storage.Info, error) {
	infos, err := dir.Store.List(ctx, dir.Key+"/")
	if errors.Is(err, storage.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list journal %s: %w", dir.URL(), err)
	}
	return infos, nil
}

// readAll reads every entry, ordered by number.
func readAll(ctx context.Context, dir storage.Location) ([]Entry, error) {
	infos, err := list(ctx, dir)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(infos))
	for _, in := range infos {
		e, err := readEntry(ctx, dir.Store, in.Key)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, k int) bool { return out[i].Seq < out[k].Seq })
	return out, nil
}

func readEntry(ctx context.Context, st storage.Store, key string) (Entry, error) {
	var e Entry
	f, err := st.Open(ctx, key)
	if err != nil {
		return e, fmt.Errorf("read journal %s: %w", st.URL(key), err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.NewSectionReader(f, 0, f.Size()))
	if err != nil {
		return e, fmt.Errorf("read journal %s: %w", st.URL(key), err)
	}
	if err := json.Unmarshal(b, &e); err != nil {
		return e, fmt.Errorf("journal %s: %w", st.URL(key), err)
	}
	if e.Version != Version {
		return e, fmt.Errorf("journal %s: version %d, this drover reads %d", st.URL(key), e.Version, Version)
	}
	return e, nil
}
