// Package operator executes physical plan fragments: each physical node
// becomes a batch.Reader that pulls Arrow record batches from its inputs
// (Volcano-style iteration, vectorized inside each batch). Build turns a
// fragment into a reader tree for one partition; the executor drives the
// root into a shuffle writer or a sink writer.
//
// Operators that hold data (sort, hash aggregation, window) reserve it
// from Env's memory.Pool, shared by the executor's task slots, and spill
// to Env.TempDir when refused; what cannot spill fails naming the
// operator and the setting to raise.
//
// A hash join whose probe side is a scan (through filters and projects
// that pass its keys on) hands that scan a runtime filter on its keys
// once the build side is loaded (runtimefilter.go, format/rtfilter).
//
// Operators never see the scheduler, Nomad or S3 clients: inputs come
// from format readers and shuffle objects through package storage.
package operator
