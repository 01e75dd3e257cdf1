package operator

import "strings"

// stringKeeper is embedded by accumulators generic over their value type
// that may keep strings (min/max, first/last/any_value/single_value,
// exact quantiles). A string cell read from a batch points into the
// batch's buffer: kept as is it would hold the whole buffer in memory,
// unseen by the memory budget. keep copies it and counts its bytes; for
// other types (on false) it does nothing.
type stringKeeper[T any] struct {
	on   bool
	size int64 // bytes of the strings kept
}

func (k *stringKeeper[T]) keep(old, v T) T {
	if !k.on {
		return v
	}
	s := strings.Clone(any(v).(string))
	k.size += int64(len(s) - len(any(old).(string)))
	return any(s).(T)
}

// add keeps v, a value added next to the others (no old one).
func (k *stringKeeper[T]) add(v T) T {
	var zero T
	return k.keep(zero, v)
}

func (k *stringKeeper[T]) bytes() int64 { return k.size }
