// Package jsonlfmt is the "jsonl" format: one JSON object per line, parsed
// by a small hand-written scanner straight into typed Arrow builders.
//
// Options (all optional): date_format and timestamp_format, Go time
// layouts for string values of date and timestamp columns; compression,
// auto (default: by extension .gz, .zst, .zstd), none, gzip or zstd (on a
// sink: compress the files written, named .jsonl.gz, .jsonl.zst).
//
// A compressed file is read by one task; an uncompressed one larger than
// the split target is cut into byte ranges, each reading the lines that
// start in it, with true line numbers in errors.
//
// Keys map to columns by exact name; keys that are not columns are
// skipped (but must be valid JSON), and a missing key or null is NULL. A
// column accepts:
//
//	bool                    true, false
//	int32, int64, float*    JSON numbers (an int column rejects 1.5);
//	                        float columns also take "NaN", "Infinity",
//	                        "-Infinity" as strings
//	decimal(p,s)            numbers or strings, parsed exactly
//	date, timestamp         strings (YYYY-MM-DD, ISO-8601)
//	string                  strings; any other value as its JSON text
//
// Anything else, a malformed line, a line that is not an object or a key
// given twice is a *format.DataError with the file and 1-based line. Blank
// lines are skipped.
//
// Infer takes the union of keys over the first 1000 lines or 1 MiB, in
// first-seen order: bool, int64 (all numbers integral), float64, else
// string; strings that look like dates stay strings unless declared, and
// nested objects and arrays are strings holding their JSON text.
//
// The writer emits one object per row with every column (NULL as null),
// decimals as JSON numbers with their exact digits, dates and timestamps
// as strings, and non-finite floats as the strings above.
package jsonlfmt
