// Package s3cost accounts for S3 requests: the billing classes requests
// fall in (GET, PUT, LIST, DELETE), a Recorder that a task or the driver
// carries in its context so that the S3 store can attribute each request
// to whoever made it, and the dollar estimate of a Usage at configurable
// per-request prices (default: S3 Standard list prices).
//
// It imports nothing of the engine: task.Metrics embeds a Usage, and the
// S3 store records into the Recorder it finds in a request's context.
package s3cost
