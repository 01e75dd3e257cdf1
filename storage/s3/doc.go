// Package s3 is the storage.Store for S3 and S3-compatible servers (MinIO),
// registered for "s3://bucket/key" paths. Only this package imports
// minio-go; the engine sees the storage interfaces alone.
//
// Configuration comes from the standard AWS variables (see ConfigFromEnv).
// Reads are ranged GETs pinned to the ETag seen at Open, with a small
// adaptive read-ahead so a stream of small reads (Arrow IPC messages, a
// Parquet footer and the length before it) costs few requests. Writes are
// buffered up to one part and sent as a single PUT, or sent as a
// multipart upload of buffered parts for larger outputs; the object
// appears only when Close succeeds. CreateDeferred writes a multipart upload that it never
// completes: the output commit completes the winners' uploads later
// (storage.DeferredCreator). Every request (reads, listings, each part of
// an upload) retries transient failures (5xx, resets, refused
// connections, timeouts) with exponential backoff and full jitter for up
// to a window (DefaultRetryWindow, env DROVER_S3_RETRY_WINDOW), so a
// restarting server is ridden out; SlowDown and 429/503 also pause every
// request of the store for a while (retry.go). Error messages are built
// here and never contain credentials.
package s3
