// Package parquetfmt is the "parquet" format, on arrow-go's pqarrow.
//
// Reading: Infer takes the schema from the footer (nested columns, which
// Drover cannot name, are left out). Split cuts a file into runs of row
// groups of about targetBytes compressed; a row group of twice that or
// more (other writers make 1 M-row or 128 MB groups) becomes several
// row-range splits. Open reads only the split's row groups that survive
// pruning by ReadOptions.Filters against row-group statistics and, for
// equality and IN on strings, dictionaries (dictprune.go), and within
// them only the pages the page index cannot rule out (pageindex.go); and
// only the projected columns, matched to the table by name (exactly, else
// case-insensitively; a missing column is an error). Dictionary-encoded
// string columns are read as dictionary<int32, utf8> arrays without
// materializing the strings. Row groups, and morsels of large ones
// (morsel.go), decode in parallel; batches still come out in file order.
// With filters, a unit decodes the columns they read first, evaluates
// them per batch and decodes the other columns only for batches with a
// selected row, then gathers and converts only those rows (latemat.go):
// the reader then returns just the rows where the filters are TRUE and
// reports such batches as filtered (format.Prefiltered), so the scan
// operator does not evaluate the filters a second time.
// A join's runtime filter (ReadOptions.Runtime, format/rtfilter) takes
// part the same way (latemat_runtime.go): its key columns are decoded
// with the filter columns, or, when the filters do not read them, apart
// and only for the rows the filters selected; once the join has
// installed the filter, rows whose keys cannot match are dropped before
// the remaining columns are decoded. Such a reader starts decoding on its
// first Next, which the join makes only after installing the filter.
// The own page decoder (pagedec.go) reads the column chunks it covers:
// flat (no repetition, at most one definition level) INT32, INT64
// (timestamps too), FLOAT, DOUBLE and BYTE_ARRAY chunks in PLAIN and
// dictionary pages (v1 and v2, a dictionary falling back to PLAIN
// mid-chunk; strings as utf8 or binary, pagedec_bytes.go, or as their
// dictionary indices when every page is dictionary-encoded), BOOLEAN
// chunks in PLAIN or RLE pages (pagedec_bool.go) and FIXED_LEN_BYTE_ARRAY
// decimals of up to 16 bytes as decimal128 (pagedec_fixed.go); arrow-go
// still reads and decompresses the pages. With late
// materialization it decodes payload columns for the selected rows only,
// widening decimals in the same pass, and the filter side when it covers
// every filter column of the row group; without, a unit whose every
// column it covers. Other chunks (other types and encodings, encryption)
// are read by pqarrow.
// Decimals stored as INT32/INT64 are read as their unscaled integers and
// widened to decimal128 in one loop (decimal_direct.go).
// Values are converted to the table's types: integers widen, timestamps
// become µs UTC, dates date32, decimals are rescaled (half away from
// zero) and a value that does not fit is a *format.DataError naming the
// file row.
//
// A file that is not Parquet or is truncated gives an error wrapping
// format.ErrCorrupt and naming the file.
//
// Writing options:
//
//	compression     snappy (default; s2's fast Snappy-format encoder,
//	                snappy.go), zstd, gzip, lz4, brotli or none
//	row_group_rows  rows per row group, default 1048576
//	row_group_bytes Arrow (in-memory) bytes per row group, default 128 MiB
//
// Timestamps are written as TIMESTAMP(MICROS, isAdjustedToUTC=true), dates
// as DATE, decimals as DECIMAL (INT32/INT64 when the precision allows, as
// Spark does), dictionary string arrays as plain strings that Parquet then
// dictionary-encodes itself.
package parquetfmt
