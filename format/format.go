package format

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format/rtfilter"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/types"
)

// Format is one file format.
type Format interface {
	// Name is the job spec's format name: "parquet", "csv" or "jsonl".
	Name() string
	// Extension is the file extension written for it, without the dot.
	Extension() string
	// Infer derives a source schema from one file (Parquet: the footer;
	// CSV and JSON lines: the header and a sample of rows).
	Infer(ctx context.Context, file storage.Location, options map[string]string) (*types.Schema, error)
	// Split divides one file of the given size into pieces that can be read
	// independently (Parquet: runs of row groups of about targetBytes;
	// CSV, JSON lines: the whole file).
	Split(ctx context.Context, file storage.Location, size, targetBytes int64) ([]Split, error)
	// Open reads one piece.
	Open(ctx context.Context, split Split, opts ReadOptions) (batch.Reader, error)
	// NewWriter writes batches of schema to w (which it does not close).
	NewWriter(w io.Writer, schema *arrow.Schema, options map[string]string) (Writer, error)
	// CheckOptions reports a format option a source (write false) or a
	// sink (write true) cannot take, so that a job fails before any task
	// runs rather than in every task.
	CheckOptions(options map[string]string, write bool) error
}

// Split is a readable piece of one file. It is plain data so scan tasks
// can carry it to executors.
type Split struct {
	URL  string `json:"url"`
	Size int64  `json:"size"`
	// RowGroups lists the Parquet row groups of this piece (nil: all).
	RowGroups []int `json:"row_groups,omitempty"`
	// RowStart and RowCount (when RowCount > 0) make the piece rows
	// [RowStart, RowStart+RowCount) of its one row group, counted from
	// the row group's first row: a large row group is cut into several
	// pieces so that it is not one task's work.
	RowStart int64 `json:"row_start,omitempty"`
	RowCount int64 `json:"row_count,omitempty"`
	// Partition holds the file's Hive partition values (from its key=value
	// directories), one per trailing partition column of the table.
	Partition []types.Value `json:"partition,omitempty"`
	// Offset and Length select a byte range of a text file (Length 0:
	// the whole file). Unless Aligned, the range need not start at a
	// record: the reader takes the lines that start inside it.
	Offset int64 `json:"offset,omitempty"`
	Length int64 `json:"length,omitempty"`
	// Aligned says that Offset starts a record and LinesBefore counts the
	// physical lines before it, so the reader numbers lines truly without
	// reading the file before Offset.
	Aligned     bool  `json:"aligned,omitempty"`
	LinesBefore int64 `json:"lines_before,omitempty"`
}

// Bytes is the input this split covers: its range, else the whole file.
func (s Split) Bytes() int64 {
	if s.Length > 0 {
		return s.Length
	}
	return s.Size
}

// OptionSplitter is a Format whose splits depend on the source's options
// (CSV: the quote and delimiter decide where records end; a compressed
// file is never split).
type OptionSplitter interface {
	SplitOptions(ctx context.Context, file storage.Location, size, targetBytes int64, options map[string]string) ([]Split, error)
}

// OptionExtension is a Format whose files' extension depends on the
// sink's options (compressed CSV: "csv.gz").
type OptionExtension interface {
	ExtensionFor(options map[string]string) string
}

// FileExtension is the extension of files f writes under options.
func FileExtension(f Format, options map[string]string) string {
	if oe, ok := f.(OptionExtension); ok {
		return oe.ExtensionFor(options)
	}
	return f.Extension()
}

// SplitFile splits one file, passing the options to formats that use them.
func SplitFile(ctx context.Context, f Format, file storage.Location, size, targetBytes int64, options map[string]string) ([]Split, error) {
	if os, ok := f.(OptionSplitter); ok {
		return os.SplitOptions(ctx, file, size, targetBytes, options)
	}
	return f.Split(ctx, file, size, targetBytes)
}

// ReadOptions says what a reader must produce.
type ReadOptions struct {
	// Table is the source's full schema, declared in the job or inferred.
	// Readers convert file values to these types (a value that does not
	// fit is a DataError) and emit Table.Types()[c].Arrow() for column c,
	// except that strings may come as dictionary<int32, utf8>.
	Table *types.Schema
	// Columns lists the ordinals of Table to produce, in this order; nil
	// means all. Readers must not decode other columns.
	Columns []int
	// Filters are conjuncts bound against Table. A reader MAY use them to
	// skip data that cannot match (Parquet row-group statistics) or drop
	// rows where they are not TRUE (Parquet late materialization); it need
	// not apply them row by row — the scan operator does that on every
	// batch, except one the reader reports as Prefiltered.
	Filters []*expr.Expr
	// Options are the source's format options from the job spec.
	Options map[string]string
	// BatchRows is the target rows per batch (0: the reader's default).
	BatchRows int
	// FieldIDs are the Parquet field ids of Table's columns (Iceberg
	// tables; nil or 0: none). A file that carries field ids is matched by
	// id, so a column renamed since the file was written still finds its
	// data and one added since is missing; other files are matched by name.
	FieldIDs []int
	// MissingAsNull reads a Table column that a file lacks as NULL (a
	// schema merged from files that added columns over time) instead of
	// failing on it (a declared schema).
	MissingAsNull bool
	// Pool, if set, is the task's memory pool: a reader that decodes
	// ahead of its consumer counts what it holds there and reads ahead
	// less when the pool is short (Parquet).
	Pool *memory.Pool
	// Runtime, if set, is a join's runtime filter on some of Table's
	// columns, installed after the reader opened (rtfilter). A reader MAY
	// drop the rows the filter rejects (Parquet late materialization);
	// if it does, it claims Runtime, else the scan operator applies it.
	Runtime *rtfilter.Use
}

// Prefiltered is a reader that can say, batch by batch, that it has
// applied ReadOptions.Filters exactly: Filtered reports whether the batch
// the last Next returned holds only rows where every one of the Filters it
// was opened with is TRUE, evaluated row by row (not merely pruned by
// statistics) with the evaluator's own semantics. It reports false when in
// doubt — no batch returned yet, the last Next failed, or evaluating the
// filters failed on that batch (the reader then passes every row on, and
// the scan operator evaluates them to report the error). A reader that
// wraps another forwards Filtered only if it gave the inner one all of its
// Filters and kept the rows as they came.
type Prefiltered interface {
	Filtered() bool
}

// BatchFiltered reports whether r is Prefiltered and its last batch is
// filtered.
func BatchFiltered(r batch.Reader) bool {
	p, ok := r.(Prefiltered)
	return ok && p.Filtered()
}

// Writer writes batches to one output file.
type Writer interface {
	Write(rec arrow.RecordBatch) error
	// Close finishes the file (footer, flush) without closing the
	// underlying io.Writer.
	Close() error
}

// Sizer is a Writer that knows the size its file has reached even while
// it buffers (Parquet: the finished row groups), so a sink can roll files
// at a target size at the writer's own boundaries.
type Sizer interface {
	Bytes() int64
}

// Buffered is a Writer that holds data in memory before it reaches its
// io.Writer (Parquet: the row group being filled), so a sink can reserve
// that memory from the executor's budget.
type Buffered interface {
	BufferedBytes() int64
}

// Flusher is a Buffered writer that can send what it holds early (Parquet:
// end the row group being filled), when the budget cannot hold it.
type Flusher interface {
	Buffered
	Flush() error
}

var (
	mu      sync.Mutex
	formats = map[string]Format{}
)

// Register makes a format available by name; sub-packages call it in init.
func Register(f Format) {
	mu.Lock()
	defer mu.Unlock()
	formats[f.Name()] = f
}

// Lookup finds a registered format.
func Lookup(name string) (Format, error) {
	mu.Lock()
	defer mu.Unlock()
	if f, ok := formats[strings.ToLower(name)]; ok {
		return f, nil
	}
	names := make([]string, 0, len(formats))
	for n := range formats {
		names = append(names, n)
	}
	sort.Strings(names)
	return nil, fmt.Errorf("unknown format %q (want one of %s)", name, strings.Join(names, ", "))
}

// SelfDescribing is implemented by formats whose every file carries its
// schema cheaply (Parquet's footer): a source of many such files is read
// with the merge of all their schemas rather than the first file's.
type SelfDescribing interface {
	Format
	SelfDescribing()
}
