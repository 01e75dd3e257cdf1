// Package journal is a run's progress log in its shuffle directory, so a
// driver that dies can be resumed by another: the run's header (job,
// plan fingerprint), each finished task's result (map outputs, staged or
// deferred sink files), range-partition bounds, finished stages, and the
// start and end of each sink's commit. S3 cannot append, so every entry
// is its own small object, `_journal/<seq>.json`, read back in order.
package journal
