package operator

import (
	"errors"
	"fmt"
	"strings"

	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/task"
)

// ErrWindowMemory marks a window task that had to hold more rows than its
// memory budget allows.
var ErrWindowMemory = errors.New("window rows do not fit in memory")

// held estimates the bytes of rows the operator holds in memory.
func (w *windowOp) held() int64 {
	held := w.pendingBytes + w.pass.bytes
	if len(w.pass.segs) > 0 && w.pass.segs[0].rec != nil { // partly emitted
		first := w.pass.segs[0].rec
		emitted := w.done - (w.total - w.pass.rows)
		held -= heldBytes(first) * emitted / first.NumRows()
	}
	if b := &w.buf; b.n > 0 && w.keep < b.end() {
		held += w.bufBytes * (b.end() - w.keep) / int64(b.n)
	}
	return held
}

// checkMemory fails a task whose held rows outgrow its memory budget once
// it has evaluated what it could (so one input batch always fits):
// a partition that functions need whole, or a peer group, too large to
// hold. The error says what to change.
func (w *windowOp) checkMemory() error {
	held := w.held()
	if w.res.Resize(held) == nil {
		return nil
	}
	// The passed-through columns can wait on disk; what the functions
	// read must stay.
	if err := w.pass.spill(); err != nil {
		return task.AsFatal(err)
	}
	if held = w.held(); w.res.Resize(held) == nil {
		return nil
	}
	w.res.Grow(held - w.res.Size()) // in memory already
	// Refused only because other operators hold memory for now? Within
	// its share of the budget the window keeps it (they spill).
	if share := w.res.Share(); share < 0 || held <= share {
		return nil
	}
	rows := w.total - w.keep
	var why string
	switch w.look {
	case logical.LookPartition:
		why = fmt.Sprintf("%s need the order keys and arguments of whole partitions in memory (other columns were spilled); add or refine PARTITION BY, or use frames that end at CURRENT ROW or n PRECEDING/FOLLOWING (those stream)",
			strings.Join(logical.BufferedFuncs(w.spec.Funcs), ", "))
	case logical.LookPeers, logical.LookRows:
		var parts []string
		if w.peers {
			parts = append(parts, "RANGE/GROUPS frames hold each peer group (rows with equal ORDER BY keys): add ORDER BY keys that tell rows apart or use a ROWS frame")
		}
		if w.rowsAhead > 0 {
			parts = append(parts, fmt.Sprintf("functions read %d rows ahead: use smaller offsets", w.rowsAhead))
		}
		why = strings.Join(parts, "; ")
	default:
		why = "functions still read that far back (IGNORE NULLS over a long run of NULLs, or a wide frame)"
	}
	return task.AsFatal(fmt.Errorf("window: %d rows (%s) held, more than the task's share of the memory budget of %s: %s; or %s: %w: %w",
		rows, mib(held), w.env.budget(), why, raiseMemory, ErrWindowMemory, memory.ErrExhausted))
}

// mib renders a byte count in MiB (KiB below one MiB: test budgets).
func mib(b int64) string {
	if b < 1<<20 {
		return fmt.Sprintf("%.1f KiB", float64(b)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}
