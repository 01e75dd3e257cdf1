package eventlog

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/drover-etl/drover/storage"
)

// FlushInterval is how often a Writer makes new events visible.
const FlushInterval = 2 * time.Second

// partLimit is the size at which a Writer starts a new part object. A
// part is rewritten whole at every flush (objects cannot be appended on
// S3), so a small limit bounds the bytes re-sent; parts keep a two-hour
// run to a few dozen objects.
const partLimit = 1 << 20

// Writer appends events to <dir>/<run>/ as JSON lines. Every flush writes
// the current part object anew with everything it holds so far; a full
// part is left as it is and the next events go to the next part. Each
// object write is atomic, so a reader never sees a torn part.
type Writer struct {
	mu      sync.Mutex
	loc     storage.Location
	part    int
	buf     bytes.Buffer // the current part's lines
	dirty   bool
	seq     int64
	onError func(error)
	stop    chan struct{}
	done    chan struct{}
}

// PartName is the key of part n (from 1) under a run's directory.
func PartName(n int) string { return fmt.Sprintf("events-%06d.jsonl", n) }

// Create starts the log of run under dir (a local path or URL) and
// flushes it every FlushInterval until Close. onError (may be nil) hears
// flush failures; the run goes on and the next flush tries again.
func Create(ctx context.Context, dir, run string, onError func(error)) (*Writer, error) {
	loc, err := storage.Resolve(ctx, strings.TrimSuffix(dir, "/")+"/"+run)
	if err != nil {
		return nil, fmt.Errorf("event log %s: %w", dir, err)
	}
	w := &Writer{loc: loc, part: firstPart(ctx, loc), onError: onError, stop: make(chan struct{}), done: make(chan struct{})}
	go w.loop()
	return w, nil
}

// firstPart is 1, or for a resumed run (its log already has parts) the
// part after the last, so the earlier driver's events are kept.
func firstPart(ctx context.Context, loc storage.Location) int {
	infos, err := loc.Store.List(ctx, loc.Key+"/")
	if err != nil {
		return 1
	}
	n := 0
	for _, in := range infos {
		var k int
		if _, err := fmt.Sscanf(path.Base(in.Key), "events-%06d.jsonl", &k); err == nil {
			n = max(n, k)
		}
	}
	return n + 1
}

// URL is where the run's log lives.
func (w *Writer) URL() string { return w.loc.URL() }

// Emit stamps ev with the schema version and the next sequence number
// and queues it for the next flush.
func (w *Writer) Emit(ev Event) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.seq++
	ev.V, ev.Seq = Version, w.seq
	if ev.Time.IsZero() {
		ev.Time = time.Now().UTC()
	}
	line, err := json.Marshal(ev)
	if err != nil {
		// Cannot happen with the schema's types; say so if it does.
		if w.onError != nil {
			w.onError(fmt.Errorf("event log: encode %s event: %w", ev.Type, err))
		}
		return
	}
	w.buf.Write(line)
	w.buf.WriteByte('\n')
	w.dirty = true
}

func (w *Writer) loop() {
	defer close(w.done)
	t := time.NewTicker(FlushInterval)
	defer t.Stop()
	failing := false // report a run of failures once, not every tick
	for {
		select {
		case <-t.C:
			err := w.Flush(context.Background())
			if err != nil && !failing && w.onError != nil {
				w.onError(err)
			}
			failing = err != nil
		case <-w.stop:
			return
		}
	}
}

// Flush writes the current part if it changed and rolls to a new part
// once it is full.
func (w *Writer) Flush(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.dirty {
		return nil
	}
	key := storage.JoinKey(w.loc.Key, PartName(w.part))
	if err := writeObject(ctx, w.loc.Store, key, w.buf.Bytes()); err != nil {
		return fmt.Errorf("event log %s: %w", w.loc.Store.URL(key), err)
	}
	w.dirty = false
	if w.buf.Len() >= partLimit {
		w.part++
		w.buf.Reset()
	}
	return nil
}

func writeObject(ctx context.Context, st storage.Store, key string, data []byte) error {
	out, err := st.Create(ctx, key)
	if err != nil {
		return err
	}
	if _, err := out.Write(data); err != nil {
		out.Abort()
		return err
	}
	return out.Close()
}

// Close stops the periodic flush and writes what is left.
func (w *Writer) Close(ctx context.Context) error {
	close(w.stop)
	<-w.done
	return w.Flush(ctx)
}
