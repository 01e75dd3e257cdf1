// Package sampledata generates the demo data set: customers as Parquet,
// orders as daily CSV files with realistic mess (NULLs, quotes, commas and
// newlines inside fields, unicode), and events as JSON lines. It is
// deterministic for a seed, so tests can compute expected answers from the
// same generator.
package sampledata
