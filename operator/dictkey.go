package operator

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// maxDictCombos bounds the product of the key dictionaries' sizes (plus
// one for NULL each) for which assignDict keeps a per-batch table.
const maxDictCombos = 1 << 16

// dictCodes returns, when every key column is a dictionary array and the
// combinations of their dictionaries are few, a code per row naming its
// combination of dictionary entries (NULL counts as one more entry), and
// the number of possible codes. The codes go in scratch when it is large
// enough.
func dictCodes(cols []arrow.Array, n int, scratch []int32) ([]int32, int, bool) {
	combos := 1
	dicts := make([]*array.Dictionary, len(cols))
	for k, c := range cols {
		d, ok := c.(*array.Dictionary)
		if !ok {
			return nil, 0, false
		}
		dicts[k] = d
		combos *= d.Dictionary().Len() + 1
		if combos > maxDictCombos {
			return nil, 0, false
		}
	}
	if cap(scratch) < n {
		scratch = make([]int32, n)
	}
	codes := scratch[:n]
	clear(codes)
	stride := int32(1)
	for _, d := range dicts {
		null := int32(d.Dictionary().Len())
		hasNulls := d.NullN() > 0
		for i := range codes {
			v := null
			if !hasNulls || d.IsValid(i) {
				v = int32(d.GetValueIndex(i))
			}
			codes[i] += v * stride
		}
		stride *= null + 1
	}
	return codes, combos, true
}

// assignDict is groupTable.assign for keys that are all dictionary arrays
// with small dictionaries (flags, statuses, modes): rows are grouped by
// their combination of dictionary indices, and only one row per
// combination is encoded and looked up, instead of every row.
func (g *groupTable) assignDict(cols []arrow.Array, codes []int32, combos int, kind keyKind, gids []int32) ([]int32, error) {
	// first row of each combination, +1 (0: unseen)
	if cap(g.first) < combos {
		g.first = make([]int32, combos)
	}
	first := g.first[:combos]
	clear(first)
	reps := g.reps[:0]
	for i, c := range codes {
		if first[c] == 0 {
			first[c] = int32(i) + 1
			reps = append(reps, int32(i))
		}
	}
	g.reps = reps
	repCols, err := takeRows(cols, reps)
	if err != nil {
		return nil, err
	}
	defer releaseAll(repCols)
	repIDs := make([]int32, len(reps))
	freshReps, err := g.insert(repCols, len(reps), kind, repIDs)
	if err != nil {
		return nil, err
	}
	fresh := make([]int32, len(freshReps))
	for j, r := range freshReps {
		fresh[j] = reps[r]
	}
	ids := first // reused: combination → group ID
	for j, row := range reps {
		ids[codes[row]] = repIDs[j]
	}
	for i, c := range codes {
		gids[i] = ids[c]
	}
	return fresh, nil
}
