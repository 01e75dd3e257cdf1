// Package keys encodes the key columns of a batch into one byte string per
// row, column at a time (no per-row type dispatch), so hash aggregation,
// hash joins and hash partitioning can treat composite keys of any types as
// opaque bytes. Equal SQL values encode equally whether a string column is
// plain or dictionary-encoded, and the hash (xxh3) is the same in every
// process, which shuffle partitioning across executors needs.
package keys
