package tpch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/format"
	_ "github.com/drover-etl/drover/format/csv"     // the csv writer
	_ "github.com/drover-etl/drover/format/parquet" // the parquet writer
	"github.com/drover-etl/drover/storage"
)

// Summary reports what Generate wrote.
type Summary struct {
	ScaleFactor float64        `json:"scale_factor"`
	Seed        uint64         `json:"seed"`
	Tables      []TableSummary `json:"tables"`
}

// TableSummary is one table in one format.
type TableSummary struct {
	Table  string `json:"table"`
	Format string `json:"format"`
	Dir    string `json:"dir"`
	Rows   int64  `json:"rows"`
	Files  int    `json:"files"`
	Bytes  int64  `json:"bytes"`
}

func (s *Summary) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "TPC-H scale factor %g, seed %d\n", s.ScaleFactor, s.Seed)
	for _, t := range s.Tables {
		fmt.Fprintf(&sb, "%-8s %-8s %11d rows %3d files %8.1f MiB  %s\n",
			t.Format, t.Table, t.Rows, t.Files, float64(t.Bytes)/(1<<20), t.Dir)
	}
	return strings.TrimSuffix(sb.String(), "\n")
}

// output writes one table in one format as a run of files, starting a
// new file once the current one holds FileBytes.
type output struct {
	index   int // the table's batch in a family's chunk
	f       format.Format
	dir     storage.Location
	schema  *arrow.Schema
	options map[string]string
	limit   int64
	sum     TableSummary

	w  storage.Writer
	cw *countingWriter
	fw format.Writer
}

func openOutputs(ctx context.Context, cfg Config, tables []string) ([]*output, error) {
	var outs []*output
	for i, t := range tables {
		if !slices.Contains(cfg.Tables, t) {
			continue
		}
		for _, name := range cfg.Formats {
			o, err := newOutput(ctx, cfg, t, name)
			if err != nil {
				return nil, err
			}
			o.index = i
			outs = append(outs, o)
		}
	}
	return outs, nil
}

func newOutput(ctx context.Context, cfg Config, table, name string) (*output, error) {
	f, err := format.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("tpch: %w", err)
	}
	root, err := storage.Resolve(ctx, cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("tpch: %w", err)
	}
	loc := root.Join(f.Name(), table)
	var opts map[string]string
	if f.Name() == "parquet" {
		opts = map[string]string{"row_group_rows": strconv.FormatInt(cfg.RowGroupRows, 10)}
	}
	return &output{
		f: f, dir: loc, schema: Schemas[table], options: opts, limit: cfg.FileBytes,
		sum: TableSummary{Table: table, Format: f.Name(), Dir: loc.URL()},
	}, nil
}

// write appends a batch, rolling over to a new file at the size limit.
func (o *output) write(ctx context.Context, rec arrow.RecordBatch) error {
	if o.fw == nil {
		if err := o.open(ctx); err != nil {
			return err
		}
	}
	if err := o.fw.Write(rec); err != nil {
		return fmt.Errorf("tpch: %s: %w", o.sum.Dir, err)
	}
	o.sum.Rows += rec.NumRows()
	if o.cw.n >= o.limit {
		return o.finish()
	}
	return nil
}

func (o *output) open(ctx context.Context) error {
	file := o.dir.Join(fmt.Sprintf("part-%05d.%s", o.sum.Files, o.f.Extension()))
	w, err := file.Store.Create(ctx, file.Key)
	if err != nil {
		return fmt.Errorf("tpch: %w", err)
	}
	cw := &countingWriter{w: w}
	fw, err := o.f.NewWriter(cw, o.schema, o.options)
	if err != nil {
		w.Abort()
		return fmt.Errorf("tpch: %w", err)
	}
	o.w, o.cw, o.fw = w, cw, fw
	return nil
}

// finish completes the current file.
func (o *output) finish() error {
	if o.fw == nil {
		return nil
	}
	err := o.fw.Close()
	if err == nil {
		err = o.w.Close()
	} else {
		o.w.Abort()
	}
	if err != nil {
		return fmt.Errorf("tpch: %s: %w", o.sum.Dir, err)
	}
	o.sum.Files++
	o.sum.Bytes += o.cw.n
	o.fw, o.w, o.cw = nil, nil, nil
	return nil
}

// closeOutputs completes every output after a successful run, or aborts
// the open files after a failed one.
func closeOutputs(outs []*output, runErr error) ([]TableSummary, error) {
	var sums []TableSummary
	var errs []error
	if runErr != nil {
		errs = append(errs, runErr)
	}
	for _, o := range outs {
		if runErr != nil {
			if o.w != nil {
				o.w.Abort()
			}
			continue
		}
		errs = append(errs, o.finish())
		sums = append(sums, o.sum)
	}
	return sums, errors.Join(errs...)
}

// countingWriter counts the bytes that reached the file.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
