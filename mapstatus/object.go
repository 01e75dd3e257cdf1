package mapstatus

import (
	"context"
	"fmt"

	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/task"
)

// URL names version v of stage's map status under the run's shuffle
// directory. Versions are never overwritten: a re-publication after a
// recompute gets the next one, so a task names exactly what it reads.
func URL(shuffleDir string, stage, version int) string {
	return fmt.Sprintf("%s/_mapstatus/s%d-v%d.bin", shuffleDir, stage, version)
}

// Write publishes outs as the object at url.
func Write(ctx context.Context, url string, outs []task.MapOutput) error {
	loc, err := storage.Resolve(ctx, url)
	if err != nil {
		return err
	}
	w, err := loc.Store.Create(ctx, loc.Key)
	if err != nil {
		return err
	}
	if _, err := w.Write(Encode(outs)); err != nil {
		w.Abort()
		return fmt.Errorf("write %s: %w", url, err)
	}
	return w.Close()
}

// Read loads the map status at url, checking it lists maps outputs.
func Read(ctx context.Context, url string, maps int) ([]task.MapOutput, error) {
	loc, err := storage.Resolve(ctx, url)
	if err != nil {
		return nil, err
	}
	f, err := loc.Store.Open(ctx, loc.Key)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, f.Size())
	if _, err := f.ReadAt(b, 0); err != nil {
		return nil, fmt.Errorf("read %s: %w", url, err)
	}
	outs, err := Decode(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", url, err)
	}
	if len(outs) != maps {
		return nil, fmt.Errorf("%s: %w: %d map outputs, the task expects %d", url, ErrCorrupt, len(outs), maps)
	}
	return outs, nil
}
