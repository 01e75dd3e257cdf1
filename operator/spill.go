package operator

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/operator/sortkey"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/spill"
)

// spiller writes sorted runs to spill files (Arrow IPC) and merges them.
type spiller struct {
	env   *Env
	meter spillMeter
	files []spill.File
}

func (s *spiller) write(recs []arrow.RecordBatch) error {
	defer releaseRecs(recs)
	if len(recs) == 0 {
		return nil
	}
	return s.writeRun(recs[0].Schema(), func(w *ipc.Writer) error {
		for _, r := range recs {
			if err := w.Write(r); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeRun writes one run of schema, its batches from fill.
func (s *spiller) writeRun(schema *arrow.Schema, fill func(*ipc.Writer) error) error {
	f, err := s.env.createSpill("sort")
	if err != nil {
		return fmt.Errorf("sort spill: %w", err)
	}
	w := ipc.NewWriter(f, ipc.WithSchema(schema), ipc.WithLZ4())
	err = fill(w)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		f.Abort()
		return fmt.Errorf("sort spill to %s: %w", f.Name(), err)
	}
	done, err := finishSpill(f, s.meter, "sort")
	if err != nil {
		return err
	}
	s.files = append(s.files, done)
	return nil
}

// mergeFanIn bounds the runs one merge reads at once: each holds a batch
// in memory, so a sort that spilled more runs merges them in passes.
const mergeFanIn = 16

// mergeBytesPerRun is what a merge holds per run it reads: the run's
// decoded batch (spillBatchBytes) and its copy among the concatenated
// sources of an output batch, with the output batch on top.
const mergeBytesPerRun = 3 * spillBatchBytes

// fanInFor is the merge fan-in that fits share bytes (< 0: unlimited):
// mergeFanIn, fewer under a small budget (at least 2), so the merge, which
// the sort no longer reserves for, stays near the share it had.
func fanInFor(share int64) int {
	if share < 0 {
		return mergeFanIn
	}
	return int(min(max(share/mergeBytesPerRun, 2), mergeFanIn))
}

// reduce merges the runs fanIn at a time into longer ones until at most
// fanIn are left. Each pass merges consecutive runs and keeps the merged
// run in their place, so the runs stay in input order and ties still come
// out in input order (the merge breaks them by run), as in memory. Runs
// keep their key columns (keys at the end); rows is their batch length.
func (s *spiller) reduce(ctx context.Context, keys []logical.SortKey, rows, fanIn int) error {
	for len(s.files) > fanIn {
		var next []spill.File
		for i := 0; i < len(s.files); i += fanIn {
			files := s.files[i:min(i+fanIn, len(s.files))]
			if len(files) == 1 {
				next = append(next, files[0])
				continue
			}
			merged, err := s.mergeGroup(ctx, files, keys, rows)
			if err != nil {
				s.files = append(next, s.files[i:]...) // cleanup removes them
				return err
			}
			next = append(next, merged)
		}
		s.files = next
	}
	return nil
}

// mergeGroup merges files into one new run and removes them.
func (s *spiller) mergeGroup(ctx context.Context, files []spill.File, keys []logical.SortKey, rows int) (spill.File, error) {
	group := &spiller{env: s.env, meter: s.meter, files: append([]spill.File(nil), files...)}
	schema, err := runSchema(group.files[0])
	if err != nil {
		return nil, err
	}
	m, err := group.merge(schema, keys, rows)
	if err != nil {
		return nil, err
	}
	out := &spiller{env: s.env, meter: s.meter}
	err = out.writeFrom(ctx, m)
	m.Close() // removes the group's runs
	if err != nil {
		out.cleanup()
		return nil, err
	}
	return out.files[0], nil
}

// runSchema reads the schema of a spilled run.
func runSchema(f spill.File) (*arrow.Schema, error) {
	r, err := ipc.NewReader(spill.Reader(f))
	if err != nil {
		return nil, fmt.Errorf("sort spill %s: %w", f.Name(), err)
	}
	defer r.Release()
	return r.Schema(), nil
}

// writeFrom writes what r produces as one more run.
func (s *spiller) writeFrom(ctx context.Context, r batch.Reader) error {
	return s.writeRun(r.Schema(), func(w *ipc.Writer) error {
		for {
			rec, err := r.Next(ctx)
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			err = w.Write(rec)
			rec.Release()
			if err != nil {
				return err
			}
		}
	})
}

func (s *spiller) cleanup() {
	for _, f := range s.files {
		f.Remove()
	}
	s.files = nil
}

// run is one spilled run being merged: its current batch and row, the
// batch's key columns and, when the merge compares normalized keys, their
// encoding.
type run struct {
	r    *ipc.Reader
	rec  arrow.RecordBatch
	keys []arrow.Array
	enc  sortkey.Rows
	row  int
	done bool
	// gen and base place the current batch among the sources of the
	// output batch being gathered (gen is the merger's, or -1).
	gen, base int
}

// advance moves to the next row, loading (and encoding) the next batch
// when the current one ends; false when the run is exhausted.
func (r *run) advance(keys []logical.SortKey, norm bool) (bool, error) {
	r.row++
	for r.rec == nil || r.row >= int(r.rec.NumRows()) {
		if r.rec != nil {
			r.rec.Release()
			r.rec = nil
		}
		if !r.r.Next() {
			if err := r.r.Err(); err != nil && err != io.EOF {
				return false, err
			}
			r.done = true
			return false, nil
		}
		r.rec = r.r.RecordBatch()
		r.rec.Retain()
		r.row = 0
		r.gen = -1
		r.keys = r.rec.Columns()[int(r.rec.NumCols())-len(keys):]
		if norm {
			if err := sortkey.Encode(&r.enc, r.keys, keys, int(r.rec.NumRows())); err != nil {
				return false, err
			}
		}
	}
	return true, nil
}

// merge streams the runs in key order.
func (s *spiller) merge(schema *arrow.Schema, keys []logical.SortKey, batchRows int) (batch.Reader, error) {
	m := &merger{schema: schema, keys: keys, batchRows: batchRows, spill: s, norm: normalizedKeys}
	for _, f := range s.files {
		r, err := ipc.NewReader(spill.Reader(f))
		if err != nil {
			m.Close()
			return nil, fmt.Errorf("sort spill %s: %w", f.Name(), err)
		}
		m.runs = append(m.runs, &run{r: r, row: -1, gen: -1})
		if m.norm && !typesSupported(r.Schema(), len(keys)) {
			m.norm = false
		}
	}
	for _, rn := range m.runs {
		if _, err := rn.advance(keys, m.norm); err != nil {
			m.Close()
			return nil, err
		}
	}
	m.build()
	return m, nil
}

// typesSupported reports whether a run's trailing nkeys key columns have
// normalized encodings.
func typesSupported(schema *arrow.Schema, nkeys int) bool {
	fs := schema.Fields()
	for _, f := range fs[len(fs)-nkeys:] {
		if !sortkey.Supported(f.Type) {
			return false
		}
	}
	return true
}

// merger merges the runs through a loser tree: tree[0] is the run with the
// smallest current row, tree[1:] hold the losers of each match. Ties go to
// the earlier run, so the merge is stable like the in-memory sort. Rows
// compare as normalized keys where the key types allow.
type merger struct {
	runs      []*run
	tree      []int
	schema    *arrow.Schema
	keys      []logical.SortKey
	norm      bool
	batchRows int
	spill     *spiller
	gen       int
}

// less orders run a's current row before run b's; exhausted runs last.
func (m *merger) less(a, b int) bool {
	ra, rb := m.runs[a], m.runs[b]
	if ra.done || rb.done {
		if ra.done != rb.done {
			return rb.done
		}
		return a < b
	}
	var r int
	if m.norm {
		r = bytes.Compare(ra.enc.Row(ra.row), rb.enc.Row(rb.row))
	} else {
		r = cellsCmp(ra.keys, ra.row, rb.keys, rb.row, m.keys)
	}
	if r != 0 {
		return r < 0
	}
	return a < b
}

func (m *merger) build() {
	k := len(m.runs)
	m.tree = make([]int, max(k, 1))
	if k == 0 {
		return
	}
	var play func(node int) int
	play = func(node int) int {
		if node >= k {
			return node - k
		}
		a, b := play(2*node), play(2*node+1)
		if m.less(a, b) {
			m.tree[node] = b
			return a
		}
		m.tree[node] = a
		return b
	}
	m.tree[0] = play(1)
}

// replay restores the tree after run w, the last winner, advanced.
func (m *merger) replay(w int) {
	for node := (w + len(m.runs)) / 2; node >= 1; node /= 2 {
		if m.less(m.tree[node], w) {
			m.tree[node], w = w, m.tree[node]
		}
	}
	m.tree[0] = w
}

func (m *merger) Schema() *arrow.Schema { return m.schema }

// Next gathers up to batchRows rows in order. Each output batch is built by
// concatenating the source batches it touches and taking the chosen rows.
func (m *merger) Next(ctx context.Context) (arrow.RecordBatch, error) {
	if len(m.runs) == 0 || m.runs[m.tree[0]].done {
		return nil, io.EOF
	}
	m.gen++
	var srcs []arrow.RecordBatch
	base := 0
	var pick []int32
	for len(pick) < m.batchRows {
		w := m.tree[0]
		top := m.runs[w]
		if top.done {
			break
		}
		if top.gen != m.gen {
			top.rec.Retain()
			srcs = append(srcs, top.rec)
			top.gen, top.base = m.gen, base
			base += int(top.rec.NumRows())
		}
		pick = append(pick, int32(top.base+top.row))
		ok, err := top.advance(m.keys, m.norm)
		if err != nil {
			releaseRecs(srcs)
			return nil, err
		}
		if !ok {
			top.r.Release()
			top.r = nil
		}
		m.replay(w)
	}
	defer releaseRecs(srcs)
	cols, _, err := concatRecords(srcs[0].Schema(), srcs)
	if err != nil {
		return nil, err
	}
	defer releaseAll(cols)
	taken, err := takeRows(cols[:m.schema.NumFields()], pick)
	if err != nil {
		return nil, err
	}
	out := array.NewRecordBatch(m.schema, taken, int64(len(pick)))
	releaseAll(taken)
	return out, nil
}

func (m *merger) Close() error {
	for _, r := range m.runs {
		if r.rec != nil {
			r.rec.Release()
			r.rec = nil
		}
		if r.r != nil {
			r.r.Release()
			r.r = nil
		}
	}
	m.runs = nil
	m.spill.cleanup()
	return nil
}
