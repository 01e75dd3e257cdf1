package parquetfmt

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/parquet/compress"
)

// writeOptions are the sink's format options.
type writeOptions struct {
	codec         compress.Compression
	rowGroupRows  int64
	rowGroupBytes int64
}

var codecs = map[string]compress.Compression{
	"snappy":       compress.Codecs.Snappy,
	"zstd":         compress.Codecs.Zstd,
	"gzip":         compress.Codecs.Gzip,
	"lz4":          compress.Codecs.Lz4Raw,
	"brotli":       compress.Codecs.Brotli,
	"none":         compress.Codecs.Uncompressed,
	"uncompressed": compress.Codecs.Uncompressed,
}

func parseWriteOptions(m map[string]string) (writeOptions, error) {
	o := writeOptions{codec: compress.Codecs.Snappy, rowGroupRows: 1 << 20, rowGroupBytes: 128 << 20}
	for k, v := range m {
		var err error
		switch strings.ToLower(k) {
		case "compression", "codec":
			c, ok := codecs[strings.ToLower(v)]
			if !ok {
				err = fmt.Errorf("want snappy, zstd, gzip, lz4, brotli or none")
			}
			o.codec = c
		case "row_group_rows":
			o.rowGroupRows, err = positive(v)
		case "row_group_bytes":
			o.rowGroupBytes, err = positive(v)
		case "missing_columns":
			err = fmt.Errorf("a source option; a sink writes every column")
		default:
			err = fmt.Errorf("unknown option (want compression, row_group_rows, row_group_bytes)")
		}
		if err != nil {
			return writeOptions{}, fmt.Errorf("parquet option %s=%q: %w", k, v, err)
		}
	}
	return o, nil
}

func positive(v string) (int64, error) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err == nil && n <= 0 {
		err = fmt.Errorf("must be positive")
	}
	return n, err
}
