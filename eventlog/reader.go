package eventlog

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/drover-etl/drover/storage"
)

// Log is one run's events as read back.
type Log struct {
	Run    string
	URL    string
	Events []Event
	// Truncated: the last line was cut short (the writer died mid-write);
	// it was dropped.
	Truncated bool
}

// Read reads the log of run under dir. A log that ends abruptly (a
// driver killed mid-run) reads up to its last whole event; a bad line
// anywhere else is an error naming the object and line.
func Read(ctx context.Context, dir, run string) (*Log, error) {
	return read(ctx, dir, run, false)
}

// ReadEnds reads only the first and the last part of a run's log: its
// run_start and its latest events, enough to list the run (its job,
// status, start and end) at a bounded cost however long it ran.
func ReadEnds(ctx context.Context, dir, run string) (*Log, error) {
	return read(ctx, dir, run, true)
}

func read(ctx context.Context, dir, run string, ends bool) (*Log, error) {
	loc, err := storage.Resolve(ctx, strings.TrimSuffix(dir, "/")+"/"+run)
	if err != nil {
		return nil, err
	}
	parts, err := listParts(ctx, loc)
	if err != nil {
		return nil, err
	}
	if len(parts) == 0 {
		return nil, fmt.Errorf("%w for run %q under %s", ErrNoLog, run, dir)
	}
	lg := &Log{Run: run, URL: loc.URL()}
	if ends && len(parts) > 2 {
		parts = []string{parts[0], parts[len(parts)-1]}
	}
	for i, key := range parts {
		data, err := readObject(ctx, loc.Store, key)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", loc.Store.URL(key), err)
		}
		last := i == len(parts)-1
		if err := lg.parse(data, loc.Store.URL(key), last); err != nil {
			return nil, err
		}
	}
	return lg, nil
}

// listParts lists the part objects of one run, in order.
func listParts(ctx context.Context, loc storage.Location) ([]string, error) {
	infos, err := loc.Store.List(ctx, loc.Key+"/")
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", loc.URL(), err)
	}
	var parts []string
	for _, in := range infos {
		name := in.Key[strings.LastIndex(in.Key, "/")+1:]
		if strings.HasPrefix(name, "events-") && strings.HasSuffix(name, ".jsonl") {
			parts = append(parts, in.Key)
		}
	}
	sort.Strings(parts)
	return parts, nil
}

func readObject(ctx context.Context, st storage.Store, key string) ([]byte, error) {
	f, err := st.Open(ctx, key)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.NewSectionReader(f, 0, f.Size()))
}

// parse appends the events of one part. Only the final line of the final
// part may be cut short.
func (lg *Log) parse(data []byte, url string, lastPart bool) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 64<<20)
	n, total := 0, bytes.Count(data, []byte{'\n'})
	if len(data) > 0 && data[len(data)-1] != '\n' {
		total++
	}
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var ev Event
		if err := json.Unmarshal(line, &ev); err != nil {
			if lastPart && n == total {
				lg.Truncated = true
				return nil
			}
			return fmt.Errorf("%w: %s line %d: %v", ErrCorrupt, url, n, err)
		}
		if ev.V > Version {
			return fmt.Errorf("%w: %s line %d has version %d, this drover reads up to %d", ErrNewerVersion, url, n, ev.V, Version)
		}
		lg.Events = append(lg.Events, ev)
	}
	return sc.Err()
}

// Runs lists the run IDs with a log under dir, newest first (run IDs
// start with their UTC start time).
func Runs(ctx context.Context, dir string) ([]string, error) {
	loc, err := storage.Resolve(ctx, dir)
	if err != nil {
		return nil, err
	}
	prefix := strings.Trim(loc.Key, "/")
	if prefix != "" {
		prefix += "/"
	}
	infos, err := loc.Store.List(ctx, prefix)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", loc.URL(), err)
	}
	seen := map[string]bool{}
	var runs []string
	for _, in := range infos {
		rest := strings.TrimPrefix(in.Key, prefix)
		run, name, ok := strings.Cut(rest, "/")
		if !ok || strings.Contains(name, "/") || !strings.HasPrefix(name, "events-") || seen[run] {
			continue
		}
		seen[run] = true
		runs = append(runs, run)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(runs)))
	return runs, nil
}
