// Package compress is the whole-file compression of text formats (CSV,
// JSON lines): gzip and zstd, detected from a file's extension (.gz,
// .zst, .zstd) or declared with the format option compression. A
// compressed file cannot be read from the middle, so it is one split.
package compress
