package executor

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/commit"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/operator"
	"github.com/drover-etl/drover/operator/keys"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/task"
)

// sinkWriter writes one task's rows, one open file per Hive partition.
// Files go straight to their final keys when the output store defers
// completion (S3: the driver completes the winning attempt's uploads),
// else under the attempt's staging folder (renamed by the driver).
type sinkWriter struct {
	spec    *task.Spec
	ws      *physical.WriteSpec
	f       format.Format
	out     storage.Location
	schema  *arrow.Schema // full input schema
	data    []int         // columns written into files
	parts   []int         // partition_by columns
	dataSch *arrow.Schema
	open    map[string]*openFile // the file being written, per partition dir
	files   []*openFile          // every file started, in order
	enc     keys.Keys
	rows    int64

	// The open files' buffers are reserved from the pool; when refused,
	// the least recently written file is finished (its partition starts
	// a new file if it comes back), so a task with many partition values
	// holds few files open at once.
	res  *memory.Reservation
	tick uint64 // write counter, for least recently written
}

// writeSink writes the task's output files and reports them in res.
func writeSink(ctx context.Context, in batch.Reader, spec *task.Spec, res *task.Result, env *operator.Env) error {
	s, err := newSinkWriter(ctx, spec)
	if err != nil {
		return task.AsFatal(err)
	}
	s.res = env.MemoryPool().Consumer("partitioned sink", true)
	defer s.res.Free()
	err = drive(ctx, in, func(rec arrow.RecordBatch) error { return s.write(ctx, rec) })
	if err == nil && len(s.parts) == 0 && len(s.files) == 0 && spec.Partition == 0 && s.ws.Table == nil {
		// An unpartitioned sink always gets one file, so even an empty
		// result carries its schema for readers. (A table has its schema
		// in its metadata: an empty result adds no file.)
		_, err = s.file(ctx, "")
	}
	if err != nil {
		s.abort()
		return err
	}
	return s.close(res)
}

func newSinkWriter(ctx context.Context, spec *task.Spec) (*sinkWriter, error) {
	ws := spec.Fragment.Write
	f, err := format.Lookup(ws.Format)
	if err != nil {
		return nil, err
	}
	out, err := storage.Resolve(ctx, ws.Path)
	if err != nil {
		return nil, err
	}
	out.Key = strings.TrimSuffix(out.Key, "/")
	s := &sinkWriter{spec: spec, ws: ws, f: f, out: out, schema: spec.Fragment.Schema.Arrow(), open: map[string]*openFile{}}
	isPart := map[int]bool{}
	for _, name := range ws.PartitionBy {
		i, err := spec.Fragment.Schema.Resolve("", name)
		if err != nil {
			return nil, fmt.Errorf("partition_by: %w", err)
		}
		s.parts = append(s.parts, i)
		isPart[i] = true
	}
	var fields []arrow.Field
	for i, fld := range s.schema.Fields() {
		// Table files keep their partition columns: readers take values
		// from the files, not from directory names.
		if !isPart[i] || ws.Table != nil {
			s.data = append(s.data, i)
			fields = append(fields, withFieldID(fld, ws.Table, i))
		}
	}
	if len(fields) == 0 {
		return nil, fmt.Errorf("partition_by names every column; nothing is left to write")
	}
	s.dataSch = arrow.NewSchema(fields, nil)
	return s, nil
}

func (s *sinkWriter) write(ctx context.Context, rec arrow.RecordBatch) error {
	norm, err := operator.Normalize(rec, s.schema)
	if err != nil {
		return task.AsFatal(err)
	}
	defer norm.Release()
	s.rows += norm.NumRows()
	if len(s.parts) == 0 {
		return s.append(ctx, "", norm)
	}
	groups, err := s.group(norm)
	if err != nil {
		return task.AsFatal(err)
	}
	for _, g := range groups {
		sub, err := operator.TakeRecord(norm, g.rows)
		if err != nil {
			return task.AsFatal(err)
		}
		err = s.append(ctx, g.dir, sub)
		sub.Release()
		if err != nil {
			return err
		}
	}
	return nil
}

type partGroup struct {
	dir  string
	rows []int32
}

// group splits rows by their partition values; the directory name is
// formatted once per distinct value, not per row.
func (s *sinkWriter) group(rec arrow.RecordBatch) ([]*partGroup, error) {
	cols := make([]arrow.Array, len(s.parts))
	for i, p := range s.parts {
		cols[i] = rec.Column(p)
	}
	n := int(rec.NumRows())
	if err := s.enc.Encode(cols, n); err != nil {
		return nil, err
	}
	byKey := map[string]*partGroup{}
	var out []*partGroup
	for i := 0; i < n; i++ {
		g, ok := byKey[string(s.enc.Row(i))]
		if !ok {
			g = &partGroup{dir: s.dirOf(rec, i)}
			byKey[string(s.enc.Row(i))] = g
			out = append(out, g)
		}
		g.rows = append(g.rows, int32(i))
	}
	return out, nil
}

func (s *sinkWriter) dirOf(rec arrow.RecordBatch, row int) string {
	segs := make([]string, len(s.parts))
	for i, p := range s.parts {
		segs[i] = HivePathKey(s.schema.Field(p).Name) + "=" + HivePathValue(eval.ValueAt(rec.Column(p), row))
	}
	return strings.Join(segs, "/")
}

// append writes rec's data columns into the file of partition dir. With
// a target file size the rows go in slices of rollRows, so that a file
// rolls near its target however large the batches are.
func (s *sinkWriter) append(ctx context.Context, dir string, rec arrow.RecordBatch) error {
	cols := make([]arrow.Array, len(s.data))
	for i, c := range s.data {
		cols[i] = rec.Column(c)
	}
	data := newRecord(s.dataSch, cols, rec.NumRows())
	defer data.Release()
	step := data.NumRows()
	if s.ws.TargetFileBytes > 0 {
		step = rollRows
	}
	for lo := int64(0); lo < data.NumRows(); lo += step {
		part := data.NewSlice(lo, min(lo+step, data.NumRows()))
		err := s.appendSlice(ctx, dir, part)
		part.Release()
		if err != nil {
			return err
		}
	}
	return nil
}

// rollRows is the slice of rows written between checks of a file's size.
const rollRows = 1024

func (s *sinkWriter) appendSlice(ctx context.Context, dir string, data arrow.RecordBatch) error {
	of, err := s.file(ctx, dir)
	if err != nil {
		return err
	}
	if err := of.fw.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", of.url, err)
	}
	if t := s.ws.TargetFileBytes; t > 0 && of.size() >= t {
		// Roll: the next rows of dir start a new file. Files grow in
		// steps (Parquet: whole row groups; CSV and JSON lines: each
		// Write, compressed ones a compressor block), so files end at the
		// first step past the target.
		return s.finish(dir, of)
	}
	return s.reserve(dir, of)
}

// reserve accounts for of's growth (of was just written), finishing the
// least recently written other files while the pool refuses it. The file
// being written is always let grow: without it the task cannot go on.
func (s *sinkWriter) reserve(dir string, of *openFile) error {
	s.tick++
	of.used = s.tick
	if s.res == nil {
		return nil
	}
	grow := of.memory() - of.held
	if grow < 0 { // a row group went out
		s.res.Shrink(-grow)
		of.held += grow
		return nil
	}
	for grow > 0 && s.res.TryGrow(grow) != nil {
		if lruDir, lru := s.leastRecent(of); lru != nil {
			if err := s.finish(lruDir, lru); err != nil {
				return err
			}
			continue
		}
		flushed, err := flushEarly(of)
		if err != nil {
			return fmt.Errorf("write %s: %w", of.url, err)
		}
		if !flushed {
			s.res.Grow(grow)
			break
		}
		grow = of.memory() - of.held
	}
	if grow < 0 {
		s.res.Shrink(-grow)
	}
	of.held += grow
	return nil
}

// minFlushBytes is the least a format writer buffers before the sink ends
// its row group early for the budget: smaller row groups would cost
// readers more than the memory saved.
const minFlushBytes = 8 << 20

// flushEarly sends what of's format writer buffers (a Parquet row group)
// when it is worth it, reporting whether it did.
func flushEarly(of *openFile) (bool, error) {
	f, ok := of.fw.(format.Flusher)
	if !ok || f.BufferedBytes() < minFlushBytes {
		return false, nil
	}
	return true, f.Flush()
}

// leastRecent is the open file written longest ago other than keep.
func (s *sinkWriter) leastRecent(keep *openFile) (string, *openFile) {
	var dir string
	var lru *openFile
	for d, of := range s.open {
		if of != keep && (lru == nil || of.used < lru.used) {
			dir, lru = d, of
		}
	}
	return dir, lru
}

// finish closes partition dir's open file and gives back its memory; the
// partition's next rows start a new file.
func (s *sinkWriter) finish(dir string, of *openFile) error {
	delete(s.open, dir)
	if s.res != nil {
		s.res.Shrink(of.held)
	}
	of.held = 0
	return of.finish()
}

func (s *sinkWriter) file(ctx context.Context, dir string) (*openFile, error) {
	if of, ok := s.open[dir]; ok {
		return of, nil
	}
	// FileName is unique per call, so a rolled file never meets its
	// predecessor, and the commit publishes every file reported.
	rel := commit.FileName(s.spec.Run, s.spec.Partition, format.FileExtension(s.f, s.ws.Options))
	if dir != "" {
		rel = dir + "/" + rel
	}
	url, sw, err := s.create(ctx, rel)
	if err != nil {
		return nil, err
	}
	cw := &countingWriter{w: sw}
	fw, err := s.f.NewWriter(cw, s.dataSch, s.ws.Options)
	if err != nil {
		sw.Abort()
		return nil, task.AsFatal(err)
	}
	_, deferred := sw.(*deferredFile)
	of := &openFile{url: url, sw: sw, fw: fw, cw: cw, uploads: deferred}
	s.open[dir] = of
	s.files = append(s.files, of)
	return of, nil
}

// create opens output file rel (relative to the output directory).
func (s *sinkWriter) create(ctx context.Context, rel string) (string, outWriter, error) {
	if dc, ok := s.out.Store.(storage.DeferredCreator); ok {
		loc := s.out.Join(rel)
		w, err := dc.CreateDeferred(ctx, loc.Key)
		if err != nil {
			return "", nil, err
		}
		return loc.URL(), &deferredFile{ctx: ctx, dc: dc, key: loc.Key, w: w}, nil
	}
	url := commit.StagingKey(s.spec.StagingDir, s.spec.Partition, s.spec.Attempt, rel)
	loc, err := storage.Resolve(ctx, url)
	if err != nil {
		return "", nil, task.AsFatal(err)
	}
	w, err := loc.Store.Create(ctx, loc.Key)
	if err != nil {
		return "", nil, err
	}
	return url, stagedFile{w}, nil
}

// close finishes every file and reports it: staged files by URL,
// deferred ones with their tokens. On failure nothing is reported and
// every file is discarded (see outWriter.Abort).
func (s *sinkWriter) close(res *task.Result) error {
	var bytes int64
	for _, of := range s.files {
		if !of.done {
			if err := of.finish(); err != nil {
				s.abort()
				return err
			}
		}
		if _, ok := of.sw.(*deferredFile); ok {
			res.Deferred = append(res.Deferred, task.DeferredFile{URL: of.url, Token: of.tok})
		} else {
			res.Files = append(res.Files, of.url)
		}
		bytes += of.cw.n
	}
	res.Metrics.RowsOut, res.Metrics.BytesWritten = s.rows, bytes
	return nil
}

func (s *sinkWriter) abort() {
	for _, of := range s.files {
		of.sw.Abort()
	}
}

// withFieldID tags a table sink's column with its Iceberg field id, which
// the Parquet writer stores so that readers map columns by id.
func withFieldID(f arrow.Field, t *logical.TableSink, i int) arrow.Field {
	if t == nil {
		return f
	}
	f.Metadata = arrow.NewMetadata([]string{"PARQUET:field_id"}, []string{strconv.Itoa(t.FieldIDs[i])})
	return f
}
