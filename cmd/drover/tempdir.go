package main

// tempDirUsage describes --temp-dir on drover run and drover executor.
const tempDirUsage = "where sorts, aggregations, joins, windows and the shuffle writer spill: a local directory, or s3://bucket/prefix (default: the OS temp dir; when it is not writable, executors spill under the run's S3 shuffle directory)"
