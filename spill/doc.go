// Package spill is where operators put what their memory budget refuses:
// a spill file is created, written once from start to end, finished, read
// back (from the start, or by byte ranges), then removed. Two homes sit
// behind one interface (Dir): a local directory (the executor's
// --temp-dir; plain files, as fast as before) and S3 (--temp-dir
// s3://bucket/prefix, or the run's S3 shuffle directory when the local
// directory is not writable), where a file is a streamed multipart upload
// whose part buffers are reserved from the task's memory pool, read back by
// ranged GETs of bounded size and deleted when done.
//
// Place is an executor's choice between them, made once at start (a probe
// of the local directory); it hands each task its own Dir. Spill objects
// go under <root>/<run>/spill/<executor>/, so a crashed run's leftovers
// lie inside its run directory: the driver removes them with the shuffle
// prefix when the run ends, and `drover gc` with the run (docs/operations.md).
package spill
