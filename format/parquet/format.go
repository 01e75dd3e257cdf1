package parquetfmt

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

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
// compressed data (targetBytes <= 0: one piece).
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
		cur.RowGroups = append(cur.RowGroups, rg)
		cur.Size += rowGroupBytes(md.RowGroup(rg))
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
