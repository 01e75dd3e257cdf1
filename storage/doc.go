// Package storage is the one interface through which Drover reads inputs and
// writes shuffle files and outputs: object-store semantics (whole-object
// writes that become visible atomically on Close, ranged reads, prefix
// listing), so local directories and S3 behave alike. Implementations live
// in sub-packages (storage/local; S3 in cluster mode) and register a URL
// scheme; Resolve picks one by path.
package storage
