package csvfmt

import (
	"context"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/format"
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

// Split returns the whole file: a record may span lines, so a CSV file
// cannot be cut at an arbitrary offset safely.
func (Format) Split(_ context.Context, file storage.Location, size, _ int64) ([]format.Split, error) {
	return []format.Split{{URL: file.URL(), Size: size}}, nil
}

// CheckOptions parses the options as the reader and writer do.
func (Format) CheckOptions(options map[string]string, _ bool) error {
	_, err := parseOptions(options)
	return err
}

// NewWriter writes CSV with a header row.
func (Format) NewWriter(w io.Writer, schema *arrow.Schema, options map[string]string) (format.Writer, error) {
	o, err := parseOptions(options)
	if err != nil {
		return nil, err
	}
	return newWriter(w, schema, o)
}

// openFile opens a URL for buffered sequential reading through storage,
// so that S3 works like a local path.
func openFile(ctx context.Context, url string) (storage.File, *io.SectionReader, error) {
	loc, err := storage.Resolve(ctx, url)
	if err != nil {
		return nil, nil, err
	}
	f, err := loc.Store.Open(ctx, loc.Key)
	if err != nil {
		return nil, nil, fmt.Errorf("csv: %w", err)
	}
	return f, io.NewSectionReader(f, 0, f.Size()), nil
}
