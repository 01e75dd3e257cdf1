package csvfmt

import (
	"context"
	"io"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/compress"
	"github.com/drover-etl/drover/format/textfile"
	"github.com/drover-etl/drover/storage"
)

func init() { format.Register(Format{}) }

// Format is the CSV format.
type Format struct{}

var _ format.Format = Format{}

// Name is "csv".
func (Format) Name() string { return "csv" }

// Extension is "csv".
func (Format) Extension() string { return "csv" }

// ExtensionFor adds the compression's suffix: "csv.gz", "csv.zst".
func (f Format) ExtensionFor(options map[string]string) string {
	return compress.FileExtension(f.Extension(), options)
}

// Split returns the whole file; SplitOptions cuts it.
func (Format) Split(_ context.Context, file storage.Location, size, _ int64) ([]format.Split, error) {
	return []format.Split{{URL: file.URL(), Size: size}}, nil
}

// SplitOptions cuts an uncompressed file larger than targetBytes into
// byte ranges that start at records (a quoted field may hold newlines,
// so the file is scanned once for them) and records the lines before
// each, so errors name true lines. Compressed files are one split.
func (Format) SplitOptions(ctx context.Context, file storage.Location, size, targetBytes int64, options map[string]string) ([]format.Split, error) {
	o, err := parseOptions(options)
	if err != nil {
		return nil, err
	}
	return textfile.SplitCSV(ctx, file, size, targetBytes, o.dialect(), o.compression)
}

// CheckOptions parses the options as the reader and writer do.
func (Format) CheckOptions(options map[string]string, _ bool) error {
	_, err := parseOptions(options)
	return err
}

// NewWriter writes CSV with a header row, compressed when the options
// say so.
func (Format) NewWriter(w io.Writer, schema *arrow.Schema, options map[string]string) (format.Writer, error) {
	o, err := parseOptions(options)
	if err != nil {
		return nil, err
	}
	codec, err := compress.ForSink(o.compression)
	if err != nil {
		return nil, err
	}
	cw, err := compress.NewWriter(codec, w)
	if err != nil {
		return nil, err
	}
	return newWriter(cw, schema, o)
}
