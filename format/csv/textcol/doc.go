// Package textcol converts between text and typed Arrow columns for the
// text formats (CSV and JSON lines): fast parsers for numbers, exact
// decimals, dates and timestamps that work on byte slices without
// allocating, Appenders that parse straight into Arrow builders, type
// inference over sampled text, and Formatters that render Arrow values back
// to text.
//
// format/jsonl and format/parquet import it too; its natural home is
// format/internal/textcol, and it sits below format/csv only because the
// format work was confined to the three format directories. Nothing here
// knows about CSV quoting or JSON syntax: callers hand over value bytes.
package textcol
