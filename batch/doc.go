// Package batch holds the streaming contract every producer of Arrow record
// batches meets — format readers, physical operators, shuffle readers — and
// small helpers on batches. A Reader hands out batches the caller owns.
package batch
