package csvfmt

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/drover-etl/drover/format/compress"
	"github.com/drover-etl/drover/format/csv/textcol"
	"github.com/drover-etl/drover/format/textfile"
)

// options are the parsed format options of one source or sink.
type options struct {
	header    bool
	delim     byte
	quote     byte // 0: no quoting
	null      string
	hasNull   bool
	skipRows  int
	parse     textcol.Options
	batchRows int
	// compression is the declared option ("": detect by file name).
	compression string
}

// defaultBatchRows is the batch size when ReadOptions.BatchRows is 0.
const defaultBatchRows = 64 * 1024

func parseOptions(m map[string]string) (options, error) {
	o := options{header: true, delim: ',', quote: '"', batchRows: defaultBatchRows}
	for k, v := range m {
		if err := o.set(strings.ToLower(k), v); err != nil {
			return options{}, fmt.Errorf("csv option %s=%q: %w", k, v, err)
		}
	}
	if o.quote != 0 && o.quote == o.delim {
		return options{}, fmt.Errorf("csv options: quote and delimiter are both %q", o.delim)
	}
	return o, nil
}

func (o *options) set(k, v string) error {
	var err error
	switch k {
	case "header":
		o.header, err = strconv.ParseBool(v)
	case "delimiter", "sep", "delim":
		o.delim, err = oneByte(v, false)
	case "quote":
		o.quote, err = oneByte(v, true)
	case "null", "null_value", "nullvalue":
		o.null, o.hasNull = v, v != ""
	case "skip_rows", "skip":
		o.skipRows, err = strconv.Atoi(v)
		if err == nil && o.skipRows < 0 {
			err = fmt.Errorf("must not be negative")
		}
	case "date_format", "dateformat":
		o.parse.DateLayout = v
	case "timestamp_format", "timestampformat":
		o.parse.TimestampLayout = v
	case compress.Option:
		o.compression = v
		_, _, err = compress.Parse(v)
	default:
		err = fmt.Errorf("unknown option (want header, delimiter, quote, null, skip_rows, date_format, timestamp_format, compression)")
	}
	return err
}

// oneByte reads a single-byte option; "\t" and "tab" name the tab.
func oneByte(v string, emptyOK bool) (byte, error) {
	switch v {
	case `\t`, "tab", "\t":
		return '\t', nil
	case "":
		if emptyOK {
			return 0, nil
		}
	}
	if len(v) != 1 || v[0] == '\n' || v[0] == '\r' {
		return 0, fmt.Errorf("want a single byte other than a newline")
	}
	return v[0], nil
}

// dialect is what the record-boundary scan needs of o.
func (o *options) dialect() textfile.Dialect {
	return textfile.Dialect{Delim: o.delim, Quote: o.quote, SkipRows: o.skipRows, Header: o.header}
}
