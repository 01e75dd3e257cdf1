//go:build !linux

package memory

// AdviseHeapHugePages does nothing outside Linux.
func AdviseHeapHugePages(n int64, getenv func(string) string) bool { return false }
