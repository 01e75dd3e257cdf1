package operator

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// intKeys returns the values of a single integer-like key column widened to
// int64 (ok=false for other types), so the hash tables can use a map keyed
// by int64 instead of encoding every row to bytes.
func intKeys(cols []arrow.Array) ([]int64, arrow.Array, bool) {
	if len(cols) != 1 {
		return nil, nil, false
	}
	switch a := cols[0].(type) {
	case *array.Int64:
		return a.Int64Values(), a, true
	case *array.Timestamp:
		return convert(a.TimestampValues(), func(v arrow.Timestamp) int64 { return int64(v) }), a, true
	case *array.Int32:
		return convert(a.Int32Values(), func(v int32) int64 { return int64(v) }), a, true
	case *array.Date32:
		return convert(a.Date32Values(), func(v arrow.Date32) int64 { return int64(v) }), a, true
	}
	return nil, nil, false
}

// assignInts is groupTable.assign for one integer key; NULL is its own group.
func (g *groupTable) assignInts(vals []int64, col arrow.Array, gids []int32) []int32 {
	if g.intIDs == nil {
		g.intIDs = make(map[int64]int32)
		g.nullID = -1
	}
	var fresh []int32
	hasNulls := col.NullN() > 0
	for i, v := range vals {
		if hasNulls && col.IsNull(i) {
			if g.nullID < 0 {
				g.nullID = int32(g.count)
				g.count++
				fresh = append(fresh, int32(i))
			}
			gids[i] = g.nullID
			continue
		}
		id, ok := g.intIDs[v]
		if !ok {
			id = int32(g.count)
			g.intIDs[v] = id
			g.count++
			fresh = append(fresh, int32(i))
		}
		gids[i] = id
	}
	return fresh
}
