// Package local is the Store for local directories (bare paths and file://).
// Writes go to a temporary file beside the target and are renamed into
// place on Close, so a reader never sees half an object.
package local
