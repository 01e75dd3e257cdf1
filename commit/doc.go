// Package commit is the output commit protocol: a failed or retried task
// attempt, or a job that fails, never leaves a visible file, and only a
// job whose every task succeeded replaces the output.
//
// Where files are written depends on the output store:
//
//   - A store that defers completion (storage.DeferredCreator: S3) takes
//     each file at its final key as a multipart upload that the task
//     finishes but does not complete; the task reports (URL, token) pairs.
//     The commit completes the uploads of each partition's winning attempt
//     and nothing else. No byte is copied.
//   - Any other store (local files, where rename is atomic and cheap)
//     takes the files under a hidden, run- and attempt-scoped staging
//     prefix inside the output directory (readers and Drover's own listing
//     skip names starting with "_"); the commit renames the winners' files
//     into place.
//
// After publishing, the commit removes the previous output (mode =
// overwrite), writes _SUCCESS, then aborts everything else the run left:
// the staging prefix, and every incomplete upload under the output
// directory whose file name carries the run's tag (FileName), reported or
// not, so attempts whose executor died are cleaned up too while other
// runs writing beside this one are left alone. A failed job does the same
// cleanup and publishes nothing; a commit that fails while publishing
// takes back what it had published. Either way the previous output stays
// exactly as it was.
//
// Zombie fencing: only the driver completes uploads, and only those of
// the results it accepted. An attempt still running after the commit (on
// an executor presumed lost) cannot make a file visible: an upload it
// started before the cleanup is aborted and its remaining parts fail; one
// it starts after the cleanup stays incomplete, and invisible, until a
// later cleanup or the bucket's lifecycle rule for incomplete multipart
// uploads removes it (configure one: AbortIncompleteMultipartUpload).
package commit
