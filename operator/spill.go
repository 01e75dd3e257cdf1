package operator

import (
	"container/heap"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/plan/logical"
)

// spiller writes sorted runs to local temp files (Arrow IPC) and merges them.
type spiller struct {
	dir   string
	meter spillMeter
	files []string
}

func (s *spiller) write(recs []arrow.RecordBatch) error {
	defer releaseRecs(recs)
	if len(recs) == 0 {
		return nil
	}
	f, err := os.CreateTemp(s.dir, "drover-sort-*.arrow")
	if err != nil {
		return fmt.Errorf("sort spill: %w", err)
	}
	s.files = append(s.files, f.Name())
	w := ipc.NewWriter(f, ipc.WithSchema(recs[0].Schema()), ipc.WithLZ4())
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			f.Close()
			return fmt.Errorf("sort spill: %w", err)
		}
	}
	if err := w.Close(); err != nil {
		f.Close()
		return fmt.Errorf("sort spill: %w", err)
	}
	st, _ := f.Stat()
	if st != nil {
		s.meter.add(st.Size())
	}
	return f.Close()
}

// mergeFanIn bounds the runs one merge reads at once: each holds a batch
// in memory, so a sort that spilled more runs merges them in passes.
const mergeFanIn = 16

// reduce merges the runs mergeFanIn at a time into longer ones until at
// most mergeFanIn are left. Runs keep their key columns (keys at the end);
// rows is their batch length.
func (s *spiller) reduce(ctx context.Context, keys []logical.SortKey, rows int) error {
	for len(s.files) > mergeFanIn {
		group := &spiller{dir: s.dir, meter: s.meter, files: s.files[:mergeFanIn]}
		s.files = s.files[mergeFanIn:]
		schema, err := runSchema(group.files[0])
		if err != nil {
			group.cleanup()
			return err
		}
		m, err := group.merge(schema, keys, rows)
		if err != nil {
			group.cleanup()
			return err
		}
		err = s.writeFrom(ctx, m)
		m.Close() // removes the group's runs
		if err != nil {
			return err
		}
	}
	return nil
}

// runSchema reads the schema of a spilled run.
func runSchema(name string) (*arrow.Schema, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("sort spill: %w", err)
	}
	defer f.Close()
	r, err := ipc.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("sort spill %s: %w", name, err)
	}
	defer r.Release()
	return r.Schema(), nil
}

// writeFrom writes what r produces as one more run.
func (s *spiller) writeFrom(ctx context.Context, r batch.Reader) error {
	f, err := os.CreateTemp(s.dir, "drover-sort-*.arrow")
	if err != nil {
		return fmt.Errorf("sort spill: %w", err)
	}
	s.files = append(s.files, f.Name())
	w := ipc.NewWriter(f, ipc.WithSchema(r.Schema()), ipc.WithLZ4())
	for {
		rec, err := r.Next(ctx)
		if err == io.EOF {
			break
		}
		if err == nil {
			err = w.Write(rec)
			rec.Release()
		}
		if err != nil {
			w.Close()
			f.Close()
			return fmt.Errorf("sort spill: %w", err)
		}
	}
	if err := w.Close(); err != nil {
		f.Close()
		return fmt.Errorf("sort spill: %w", err)
	}
	if st, err := f.Stat(); err == nil {
		s.meter.add(st.Size())
	}
	return f.Close()
}

func (s *spiller) cleanup() {
	for _, f := range s.files {
		os.Remove(f)
	}
	s.files = nil
}

// run is one spilled run being merged: its current batch and row.
type run struct {
	r    *ipc.Reader
	f    *os.File
	rec  arrow.RecordBatch
	keys []arrow.Array
	row  int
}

func (r *run) advance() (bool, error) {
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
			return false, nil
		}
		r.rec = r.r.RecordBatch()
		r.rec.Retain()
		r.row = 0
	}
	return true, nil
}

// merge streams the runs in key order.
func (s *spiller) merge(schema *arrow.Schema, keys []logical.SortKey, batchRows int) (batch.Reader, error) {
	m := &merger{schema: schema, keys: keys, batchRows: batchRows, spill: s}
	for _, name := range s.files {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		r, err := ipc.NewReader(f)
		if err != nil {
			f.Close()
			return nil, err
		}
		rn := &run{r: r, f: f, row: -1}
		ok, err := rn.advance()
		if err != nil {
			return nil, err
		}
		if ok {
			rn.keys = rn.rec.Columns()[int(rn.rec.NumCols())-len(keys):]
			m.runs = append(m.runs, rn)
		}
	}
	heap.Init(m)
	return m, nil
}

// merger is a heap of runs ordered by their current row's keys.
type merger struct {
	runs      []*run
	schema    *arrow.Schema
	keys      []logical.SortKey
	batchRows int
	spill     *spiller
}

func (m *merger) Len() int { return len(m.runs) }
func (m *merger) Less(i, j int) bool {
	a, b := m.runs[i], m.runs[j]
	return cellsCmp(a.keys, a.row, b.keys, b.row, m.keys) < 0
}
func (m *merger) Swap(i, j int) { m.runs[i], m.runs[j] = m.runs[j], m.runs[i] }
func (m *merger) Push(x any)    { m.runs = append(m.runs, x.(*run)) }
func (m *merger) Pop() any {
	r := m.runs[len(m.runs)-1]
	m.runs = m.runs[:len(m.runs)-1]
	return r
}

func (m *merger) Schema() *arrow.Schema { return m.schema }

// Next gathers up to batchRows rows in order. Each output batch is built by
// concatenating the source batches it touches and taking the chosen rows.
func (m *merger) Next(ctx context.Context) (arrow.RecordBatch, error) {
	if len(m.runs) == 0 {
		return nil, io.EOF
	}
	var srcs []arrow.RecordBatch
	srcBase := map[arrow.RecordBatch]int{}
	base := 0
	var pick []int32
	for len(pick) < m.batchRows && len(m.runs) > 0 {
		top := m.runs[0]
		if _, ok := srcBase[top.rec]; !ok {
			top.rec.Retain()
			srcs = append(srcs, top.rec)
			srcBase[top.rec] = base
			base += int(top.rec.NumRows())
		}
		pick = append(pick, int32(srcBase[top.rec]+top.row))
		ok, err := top.advance()
		if err != nil {
			releaseRecs(srcs)
			return nil, err
		}
		if ok {
			top.keys = top.rec.Columns()[int(top.rec.NumCols())-len(m.keys):]
			heap.Fix(m, 0)
		} else {
			heap.Pop(m)
			top.r.Release()
			top.f.Close()
		}
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
		}
		r.r.Release()
		r.f.Close()
	}
	m.runs = nil
	m.spill.cleanup()
	return nil
}
