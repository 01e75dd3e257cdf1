package operator

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// stringAggAcc is string_agg: the non-NULL values of a group joined by
// sep in order of arrival. The partial state is the joined string, so a
// merge joins states with the same separator.
type stringAggAcc struct {
	sep  string
	vals [][]byte
	seen []bool
	size int64
}

func (s *stringAggAcc) bytes() int64 { return s.size + 32*int64(len(s.vals)) }

var _ accumulator = (*stringAggAcc)(nil)

func (s *stringAggAcc) grow(n int) { s.vals, s.seen = growSlice(s.vals, n), growBools(s.seen, n) }

func (s *stringAggAcc) update(gids []int32, arg arrow.Array) error {
	switch arg.(type) {
	case *array.String, *array.Dictionary:
	default:
		return fmt.Errorf("string_agg: unexpected input %s", arg.DataType())
	}
	for i, g := range gids {
		if arg.IsNull(i) {
			continue
		}
		if s.seen[g] {
			s.vals[g] = append(s.vals[g], s.sep...)
		}
		v := stringAt(arg, i)
		s.vals[g] = append(s.vals[g], v...)
		s.size += int64(len(v) + len(s.sep))
		s.seen[g] = true
	}
	return nil
}

func (s *stringAggAcc) merge(gids []int32, states []arrow.Array) error {
	return s.update(gids, states[0])
}

func (s *stringAggAcc) partial() []arrow.Array {
	out := make([]string, len(s.vals))
	for g, v := range s.vals {
		out[g] = string(v)
	}
	return []arrow.Array{buildFixed(arrow.BinaryTypes.String, out, s.seen)}
}

func (s *stringAggAcc) final() (arrow.Array, error) { return s.partial()[0], nil }
