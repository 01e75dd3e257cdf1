// Package shuffle is the on-storage format of shuffle data. Each map task
// writes ONE object (small objects are expensive on S3): the Arrow IPC
// stream of every output partition back to back, then a JSON index of
// partition offsets, then the index length as 8 bytes. Bodies are
// LZ4-compressed for object stores and plain for a local directory
// (Uncompressed); readers take either. A reduce task reads
// the footer, then only its partition's byte range.
//
// The Writer holds the encoded streams within a reservation from the
// executor's memory pool; when refused, it moves them to a local file as
// runs (pieces of each partition's one stream) and streams runs and
// remainder into the object at commit, so the object is the same either
// way.
package shuffle
