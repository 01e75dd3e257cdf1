package runlease

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/drover-etl/drover/storage"
)

// RecordName is the record's name inside the run's shuffle directory.
const RecordName = "_run.json"

// Record describes a live (or crashed) run.
type Record struct {
	Version int       `json:"version"`
	Job     string    `json:"job"`
	Run     string    `json:"run"`
	Host    string    `json:"host,omitempty"`
	PID     int       `json:"pid,omitempty"`
	Started time.Time `json:"started"`
	Renewed time.Time `json:"renewed"`
	// Sinks are the output directories the run writes (URLs).
	Sinks []string `json:"sinks,omitempty"`
	// Attempts lists, per map task, how many attempts it started, so the
	// exact key of each attempt's shuffle object can be derived
	// (task.ShuffleURL).
	Attempts []Attempts `json:"attempts,omitempty"`
}

// Attempts counts the attempts of one map task.
type Attempts struct {
	Stage     int `json:"stage"`
	Partition int `json:"partition"`
	Count     int `json:"count"`
}

// Read reads the record in a run's shuffle directory; ErrNotExist when
// there is none.
func Read(ctx context.Context, dir storage.Location) (*Record, error) {
	loc := dir.Join(RecordName)
	f, err := loc.Store.Open(ctx, loc.Key)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.NewSectionReader(f, 0, f.Size()))
	if err != nil {
		return nil, err
	}
	var r Record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", loc.URL(), err)
	}
	if r.Run == "" {
		return nil, fmt.Errorf("%s: %w", loc.URL(), errors.New("run record without a run ID"))
	}
	return &r, nil
}

func write(ctx context.Context, dir storage.Location, r *Record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	loc := dir.Join(RecordName)
	w, err := loc.Store.Create(ctx, loc.Key)
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		w.Abort()
		return err
	}
	return w.Close()
}
