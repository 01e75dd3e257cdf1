package hashtab

// reserve returns s with room for extra more elements, doubling its
// capacity when it must move: append alone grows a large slice by a
// quarter, which moved a million-key table's hashes about five times.
func reserve[T any](s []T, extra int) []T {
	if cap(s)-len(s) >= extra {
		return s
	}
	grown := make([]T, len(s), max(len(s)+extra, 2*cap(s)))
	copy(grown, s)
	return grown
}
