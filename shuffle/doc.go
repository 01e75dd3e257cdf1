// Package shuffle is the on-storage format of shuffle data. Each map task
// writes ONE object (small objects are expensive on S3): the Arrow IPC
// stream of every output partition back to back, then a JSON index of
// partition offsets, then the index length as 8 bytes. A reduce task reads
// the footer, then only its partition's byte range.
package shuffle
