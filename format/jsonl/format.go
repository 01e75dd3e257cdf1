package jsonlfmt

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/textcol"
	"github.com/drover-etl/drover/storage"
)

func init() { format.Register(Format{}) }

// Format is the JSON lines format.
type Format struct{}

var _ format.Format = Format{}

// Name is "jsonl".
func (Format) Name() string { return "jsonl" }

// Extension is "jsonl".
func (Format) Extension() string { return "jsonl" }

// Split returns the whole file.
func (Format) Split(_ context.Context, file storage.Location, size, _ int64) ([]format.Split, error) {
	return []format.Split{{URL: file.URL(), Size: size}}, nil
}

// CheckOptions parses the options as the reader and writer do.
func (Format) CheckOptions(options map[string]string, _ bool) error {
	_, err := parseOptions(options)
	return err
}

// NewWriter writes one JSON object per row.
func (Format) NewWriter(w io.Writer, schema *arrow.Schema, options map[string]string) (format.Writer, error) {
	if _, err := parseOptions(options); err != nil {
		return nil, err
	}
	return newWriter(w, schema), nil
}

// defaultBatchRows is the batch size when ReadOptions.BatchRows is 0.
const defaultBatchRows = 64 * 1024

func parseOptions(m map[string]string) (textcol.Options, error) {
	var o textcol.Options
	for k, v := range m {
		switch strings.ToLower(k) {
		case "date_format", "dateformat":
			o.DateLayout = v
		case "timestamp_format", "timestampformat":
			o.TimestampLayout = v
		case "compression":
			if v != "" && v != "none" {
				return o, fmt.Errorf("jsonl option %s=%q: compressed JSON lines are not supported", k, v)
			}
		default:
			return o, fmt.Errorf("jsonl option %s=%q: unknown option (want date_format, timestamp_format)", k, v)
		}
	}
	return o, nil
}

// openLines opens url through storage for sequential line reading.
func openLines(ctx context.Context, url string) (storage.File, *textcol.LineReader, error) {
	loc, err := storage.Resolve(ctx, url)
	if err != nil {
		return nil, nil, err
	}
	f, err := loc.Store.Open(ctx, loc.Key)
	if err != nil {
		return nil, nil, fmt.Errorf("jsonl: %w", err)
	}
	return f, textcol.NewLineReader(io.NewSectionReader(f, 0, f.Size())), nil
}
