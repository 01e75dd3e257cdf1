package jsonlfmt

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/compress"
	"github.com/drover-etl/drover/format/csv/textcol"
	"github.com/drover-etl/drover/format/textfile"
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

// ExtensionFor adds the compression's suffix: "jsonl.gz", "jsonl.zst".
func (f Format) ExtensionFor(options map[string]string) string {
	return compress.FileExtension(f.Extension(), options)
}

// Split returns the whole file; SplitOptions cuts it.
func (Format) Split(_ context.Context, file storage.Location, size, _ int64) ([]format.Split, error) {
	return []format.Split{{URL: file.URL(), Size: size}}, nil
}

// SplitOptions cuts an uncompressed file larger than targetBytes into
// byte ranges; a reader takes the lines that start in its range (a JSON
// line holds no raw newline). Compressed files are one split.
func (Format) SplitOptions(_ context.Context, file storage.Location, size, targetBytes int64, options map[string]string) ([]format.Split, error) {
	o, err := parseOptions(options)
	if err != nil {
		return nil, err
	}
	return textfile.SplitRanges(file, size, targetBytes, o.compression)
}

// CheckOptions parses the options as the reader and writer do.
func (Format) CheckOptions(options map[string]string, _ bool) error {
	_, err := parseOptions(options)
	return err
}

// NewWriter writes one JSON object per row, compressed when the options
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
	return newWriter(cw, schema), nil
}

// defaultBatchRows is the batch size when ReadOptions.BatchRows is 0.
const defaultBatchRows = 64 * 1024

// options are the parsed format options of one source or sink.
type options struct {
	parse       textcol.Options
	compression string // declared; "" detects by file name
}

func parseOptions(m map[string]string) (options, error) {
	var o options
	for k, v := range m {
		switch strings.ToLower(k) {
		case "date_format", "dateformat":
			o.parse.DateLayout = v
		case "timestamp_format", "timestampformat":
			o.parse.TimestampLayout = v
		case compress.Option:
			if _, _, err := compress.Parse(v); err != nil {
				return o, fmt.Errorf("jsonl option %s=%q: %w", k, v, err)
			}
			o.compression = v
		default:
			return o, fmt.Errorf("jsonl option %s=%q: unknown option (want date_format, timestamp_format, compression)", k, v)
		}
	}
	return o, nil
}
