package parquetfmt

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/parquet/metadata"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/storage"
)

func init() { format.Register(Format{}) }

// Format is the Parquet format.
type Format struct{}

var _ format.Format = Format{}

// Name is "parquet".
func (Format) Name() string { return "parquet" }

// Extension is "parquet".
func (Format) Extension() string { return "parquet" }

// Split groups consecutive row groups into pieces of about targetBytes of
// compressed data (targetBytes <= 0: one piece). A row group of at least
// twice targetBytes is cut into row ranges instead (splitRowGroup).
func (Format) Split(ctx context.Context, file storage.Location, size, targetBytes int64) ([]format.Split, error) {
	pf, err := openFile(ctx, file.URL())
	if err != nil {
		return nil, err
	}
	defer pf.Close()
	md := pf.rdr.MetaData()
	var out []format.Split
	cur := format.Split{URL: file.URL()}
	for rg := range md.NumRowGroups() {
		rgm := md.RowGroup(rg)
		n := rowGroupBytes(rgm)
		if targetBytes > 0 && n >= 2*targetBytes && rgm.NumRows() >= 2*minPieceRows.Load() {
			if len(cur.RowGroups) > 0 {
				out = append(out, cur)
				cur = format.Split{URL: file.URL()}
			}
			out = append(out, splitRowGroup(file.URL(), rgm, rg, n, targetBytes)...)
			continue
		}
		cur.RowGroups = append(cur.RowGroups, rg)
		cur.Size += n
		if targetBytes > 0 && cur.Size >= targetBytes {
			out = append(out, cur)
			cur = format.Split{URL: file.URL()}
		}
	}
	if len(cur.RowGroups) > 0 || len(out) == 0 {
		if len(cur.RowGroups) == 0 {
			cur.Size = size
		}
		out = append(out, cur)
	}
	return out, nil
}

// maxBlindPieces bounds how many pieces a row group without an offset
// index is cut into: each piece's reader finds its first row by reading
// and decompressing the pages before it.
const maxBlindPieces = 4

// minPieceRows is the fewest rows a piece of a row group holds: a task
// of less than a default batch is not worth its overhead (tests lower it).
var minPieceRows atomic.Int64

func init() { minPieceRows.Store(defaultBatchRows) }

// splitRowGroup cuts row group rg of size bytes into row ranges of about
// targetBytes (at least minPieceRows rows), on whole default batches.
func splitRowGroup(url string, rgm *metadata.RowGroupMetaData, rg int, size, targetBytes int64) []format.Split {
	rows := rgm.NumRows()
	k := min((size+targetBytes/2)/targetBytes, rows/minPieceRows.Load())
	if !allOffsetIndexed(rgm) {
		k = min(k, maxBlindPieces)
	}
	var out []format.Split
	prev := int64(0)
	for j := int64(1); j <= k; j++ {
		next := rows
		if j < k {
			next = alignDown(rows*j/k, defaultBatchRows)
			if next == 0 {
				next = rows * j / k
			}
		}
		if next > prev {
			out = append(out, format.Split{URL: url, RowGroups: []int{rg}, RowStart: prev, RowCount: next - prev,
				Size: size * (next - prev) / rows})
			prev = next
		}
	}
	return out
}

// allOffsetIndexed reports whether every column chunk of rgm has an
// offset index.
func allOffsetIndexed(rgm *metadata.RowGroupMetaData) bool {
	for c := range rgm.NumColumns() {
		if _, ok := rgm.OffsetIndexLocation(c); !ok {
			return false
		}
	}
	return true
}

// CheckOptions: a sink takes the writer's options; a source only
// missing_columns.
func (Format) CheckOptions(options map[string]string, write bool) error {
	if write {
		_, err := parseWriteOptions(options)
		return err
	}
	_, err := parseReadOptions(options)
	return err
}

// parseReadOptions reads a source's options: missing_columns = "null"
// reads a declared column that a file lacks as NULL ("error", the default,
// fails on it so that a misspelt column cannot read as all NULL).
func parseReadOptions(m map[string]string) (missingAsNull bool, err error) {
	for k, v := range m {
		switch {
		case strings.ToLower(k) != "missing_columns":
			return false, fmt.Errorf("parquet option %s: a Parquet source takes only missing_columns (the schema and encodings come from the files)", k)
		case strings.EqualFold(v, "null"):
			missingAsNull = true
		case !strings.EqualFold(v, "error"):
			return false, fmt.Errorf("parquet option %s=%q: want null or error", k, v)
		}
	}
	return missingAsNull, nil
}

// NewWriter writes a Parquet file to w.
func (Format) NewWriter(w io.Writer, schema *arrow.Schema, options map[string]string) (format.Writer, error) {
	o, err := parseWriteOptions(options)
	if err != nil {
		return nil, err
	}
	return newWriter(w, schema, o)
}

// SelfDescribing marks Parquet footers as schemas worth merging.
func (Format) SelfDescribing() {}

var _ format.SelfDescribing = Format{}
