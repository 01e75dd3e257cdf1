// Package storage is the one interface through which Drover reads inputs and
// writes shuffle files and outputs: object-store semantics (whole-object
// writes that become visible atomically on Close, ranged reads, prefix
// listing), so local directories and S3 behave alike. Implementations live
// in sub-packages (storage/local; S3 in cluster mode) and register a URL
// scheme; Resolve picks one by path. A store may also defer an object's
// visibility to a later, cheap step taken by another process
// (DeferredCreator: S3 multipart completion), which the output commit
// uses instead of renaming. Optional abilities: exclusive create
// (ExclusiveCreator, for run locks), pruning empty directories
// (DirPruner), aborting the incomplete uploads of known keys
// (UploadAborter). A Drover manifest (ManifestName) in a directory makes
// Expand list exactly the files of its committed version.
package storage
