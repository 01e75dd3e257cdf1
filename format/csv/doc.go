// Package csvfmt is the "csv" format: RFC 4180 text with a header row by
// default, read by a hand-written parser straight into typed Arrow builders.
//
// Options (all optional):
//
//	header            "true" (default) or "false"; without a header the
//	                  columns are named col_1..col_n
//	delimiter         one byte, default ","; "\t" or "tab" for tabs
//	quote             one byte, default '"'; "" turns quoting off
//	null              text that means NULL when it appears unquoted
//	skip_rows         physical lines to skip before the header, default 0
//	date_format       Go time layout for dates, default YYYY-MM-DD
//	timestamp_format  Go time layout for timestamps, default ISO-8601
//	compression       auto (default: by extension .gz, .zst, .zstd), none,
//	                  gzip or zstd; on a sink, compresses the files it
//	                  writes (named .csv.gz, .csv.zst)
//
// Splits: a compressed file is read by one task. An uncompressed file
// larger than the split target is cut into byte ranges at record starts,
// found by one scan of the file when the job is planned (format/textfile);
// errors still name the file's true line.
//
// NULLs: an empty unquoted field is NULL in every column, and so is an
// unquoted field equal to the null option. A quoted empty field ("") is the
// empty string in a string column and NULL in other columns; a quoted field
// is never compared with the null option. The writer follows the same rule
// (NULL as an empty field, empty strings as "") so files round-trip.
//
// Records are mapped to columns by position, not by header name. A record
// with the wrong number of fields, a malformed quoted field or a value that
// does not parse as its column's type is a *format.DataError naming the
// file, the physical line where the record starts (embedded newlines
// counted) and the column. Blank lines are skipped; a leading UTF-8 byte
// order mark is ignored.
//
// Infer takes names from the header and types from the first 1000 records
// or 1 MiB: bool (true/false), int64, float64, date, timestamp or string,
// the most specific that fits every sampled non-null value. Empty or
// duplicate header names become col_i or name_2.
package csvfmt
