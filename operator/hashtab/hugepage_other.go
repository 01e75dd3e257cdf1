//go:build !linux

package hashtab

// adviseHuge is a no-op where there is no madvise(MADV_HUGEPAGE).
func adviseHuge[T any](s []T) {}
