// Package textcol converts between text and typed Arrow columns for the
// text formats (CSV and JSON lines): fast parsers for numbers, exact
// decimals, dates and timestamps that work on byte slices without
// allocating, Appenders that parse straight into Arrow builders, type
// inference over sampled text, and Formatters that render Arrow values back
// to text.
//
// It lives below format/csv because the format packages may not add
// packages elsewhere; format/jsonl imports it too. Nothing here knows about
// CSV quoting or JSON syntax: callers hand over the raw value bytes.
package textcol
