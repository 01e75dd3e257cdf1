// Package textfile opens and splits the text files of the CSV and JSON
// lines formats.
//
// Open reads one split: a whole file (decompressed when gzip or zstd), or
// a byte range of an uncompressed one. Splitting never cuts a record and
// keeps true line numbers, two ways:
//
//   - JSON lines (SplitRanges): a record is one physical line, so splits
//     are plain byte ranges and a reader takes the lines that start in
//     its range (the Hadoop convention). Line numbers of a later range are
//     found only when an error needs one, by counting the newlines before
//     it.
//   - CSV (SplitCSV): a quoted field may hold newlines, so no byte offset
//     alone tells whether a line starts a record. The planner scans each
//     large file once with a small state machine that mirrors the CSV
//     parser (quotes open only at a field's start, doubled quotes, CRLF,
//     a byte order mark, skip_rows, the header) and cuts only where a
//     record starts, recording the lines before the cut. The scan stops
//     cutting at the first malformed quoted field, so the rest of the
//     file is read by the split that reports the error.
package textfile
