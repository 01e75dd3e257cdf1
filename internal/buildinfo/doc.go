// Package buildinfo carries the version stamped in by the linker
// (-X github.com/drover-etl/drover/internal/buildinfo.Version=...).
package buildinfo
