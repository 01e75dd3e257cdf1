package operator

import (
	"fmt"

	"github.com/drover-etl/drover/spill"
)

// SpillDir is where this task spills: Spill, or the local TempDir.
func (e *Env) SpillDir() spill.Dir {
	e.spillOnce.Do(func() {
		if e.Spill == nil {
			e.Spill = spill.Local(e.TempDir)
		}
	})
	return e.Spill
}

// createSpill starts a spill file for operator what, its buffers (S3's)
// charged to the task's pool.
func (e *Env) createSpill(what string) (spill.Writer, error) {
	return e.SpillDir().Create(what, e.MemoryPool())
}

// finishSpill completes w, counting its bytes as spilled by meter.
func finishSpill(w spill.Writer, meter spillMeter, what string) (spill.File, error) {
	f, err := w.Finish()
	if err != nil {
		return nil, fmt.Errorf("%s spill: %w", what, err)
	}
	meter.add(f.Size())
	return f, nil
}
