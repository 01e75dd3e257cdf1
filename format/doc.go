// Package format is the contract for file formats (Parquet, CSV, JSON
// lines): schema inference, splitting a file into independently readable
// pieces, reading a piece as Arrow batches with column projection and
// optional pruning, and writing batches. Implementations live in
// sub-packages and register themselves by name.
package format
