package runlease

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/drover-etl/drover/storage"
	_ "github.com/drover-etl/drover/storage/local"
)

// A run's record is there from the start and its renewals carry the
// attempt counts; Read refuses a record without a run.
func TestLeaseWritesAndRenewsRecord(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "20261207T090000-0badc0de")
	counts := []Attempts{{Stage: 0, Partition: 3, Count: 2}}
	l, err := Start(ctx, dir, Record{Job: "j", Run: "20261207T090000-0badc0de", Sinks: []string{"s3://b/out"}}, 10*time.Millisecond,
		func() []Attempts { return counts })
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := storage.Resolve(ctx, dir)
	rec, err := Read(ctx, loc)
	if err != nil || rec.Job != "j" || len(rec.Sinks) != 1 || rec.PID == 0 || rec.Started.IsZero() {
		t.Fatalf("first record %+v, %v", rec, err)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		rec, err = Read(ctx, loc)
		if err == nil && len(rec.Attempts) == 1 && rec.Attempts[0] == counts[0] && rec.Renewed.After(rec.Started) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no renewal with the attempt counts: %+v, %v", rec, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	l.Stop()
	w, _ := loc.Store.Create(ctx, loc.Join(RecordName).Key)
	w.Write([]byte(`{"version":1}`))
	w.Close()
	if _, err := Read(ctx, loc); err == nil {
		t.Error("a record without a run ID was accepted")
	}
	if _, err := Read(ctx, loc.Join("nothing")); !errors.Is(err, storage.ErrNotExist) {
		t.Errorf("missing record: %v, want ErrNotExist", err)
	}
}
