package commit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/drover-etl/drover/storage"
)

// LockName is the object a mode = "error" run creates, conditionally, in
// its sink directory before any task runs: of two concurrent runs, only
// the one that created it writes. It is removed when the run ends; one
// left by a crashed run is removed by `drover gc` (or by hand).
const LockName = "_drover_lock"

// lockInfo is the lock's content: who holds it, for the error message.
type lockInfo struct {
	Run     string    `json:"run"`
	Sink    string    `json:"sink"`
	Host    string    `json:"host,omitempty"`
	Started time.Time `json:"started"`
}

// lock creates the sink's run lock or fails with ErrLocked naming the
// run that holds it.
func (s *Sink) lock(ctx context.Context) error {
	ec, ok := s.out.Store.(storage.ExclusiveCreator)
	if !ok {
		return fmt.Errorf("mode = \"error\" needs a store that can create objects exclusively; %s cannot", s.out.URL())
	}
	host, _ := os.Hostname()
	b, err := json.Marshal(lockInfo{Run: s.run, Sink: s.Spec.Sink, Host: host, Started: time.Now().UTC()})
	if err != nil {
		return err
	}
	loc := s.out.Join(LockName)
	err = ec.CreateExclusive(ctx, loc.Key, b)
	if errors.Is(err, storage.ErrExist) {
		if b, rerr := readAll(ctx, loc); rerr == nil && lockOf(b) == s.run {
			// A resumed run (same ID) takes back the lock its dead
			// driver held: nothing else could write the sink meanwhile.
			s.lockData, s.locked, s.adopted = b, true, true
			return nil
		}
		holder := readLock(ctx, loc)
		return fmt.Errorf("%w: run %s (started %s on %s) holds %s; if that run is no longer running, remove the file or run `drover gc`",
			ErrLocked, holder.Run, holder.Started.Format(time.RFC3339), holder.Host, loc.URL())
	}
	if err != nil {
		return fmt.Errorf("lock %s: %w", loc.URL(), err)
	}
	s.lockData, s.locked = b, true
	return nil
}

// unlock removes the lock if this run still holds it.
func (s *Sink) unlock(ctx context.Context) {
	if !s.locked {
		return
	}
	loc := s.out.Join(LockName)
	if got, err := readAll(ctx, loc); err == nil && bytes.Equal(got, s.lockData) {
		s.out.Store.Delete(ctx, loc.Key)
	}
	s.locked = false
}

// readLock reads a lock's holder; fields stay empty if it cannot.
func readLock(ctx context.Context, loc storage.Location) lockInfo {
	var li lockInfo
	if b, err := readAll(ctx, loc); err == nil {
		json.Unmarshal(b, &li)
	}
	if li.Run == "" {
		li.Run = "(unknown)"
	}
	return li
}

// LockRun returns the run holding dir's lock ("" when there is none).
func LockRun(ctx context.Context, dir storage.Location) (string, error) {
	b, err := readAll(ctx, dir.Join(LockName))
	if errors.Is(err, storage.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	var li lockInfo
	if err := json.Unmarshal(b, &li); err != nil {
		return "", fmt.Errorf("%s: %w", dir.Join(LockName).URL(), err)
	}
	return li.Run, nil
}

// lockOf is the run named by a lock's content ("" if unreadable).
func lockOf(b []byte) string {
	var li lockInfo
	if json.Unmarshal(b, &li) != nil {
		return ""
	}
	return li.Run
}

func readAll(ctx context.Context, loc storage.Location) ([]byte, error) {
	f, err := loc.Store.Open(ctx, loc.Key)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.NewSectionReader(f, 0, f.Size()))
}
