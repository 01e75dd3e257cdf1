package operator

import (
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// TestGroupTableSlicedColumns: key columns that are slices of larger
// arrays (an offset into their buffers) group as their reference says, in
// every layout (packed, string, integer, encoded).
func TestGroupTableSlicedColumns(t *testing.T) {
	for _, tc := range append(groupKeyCases, packedKeyCases...) {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(21, 22))
			var g groupTable
			groupOf := map[string]int32{}
			keyOf := map[int32]string{}
			for bi := range 12 {
				n := 1 + r.IntN(700)
				off := 1 + r.IntN(9)
				full, fullRef := tc.gen(r, n+off+3)
				cols := make([]arrow.Array, len(full))
				for k, c := range full {
					cols[k] = array.NewSlice(c, int64(off), int64(off+n))
				}
				releaseAll(full)
				ref := fullRef[off : off+n]
				gids, err := g.assign(cols, n)
				releaseAll(cols)
				if err != nil {
					t.Fatal(err)
				}
				for i, key := range ref {
					if want, ok := groupOf[key]; ok {
						if gids[i] != want {
							t.Fatalf("batch %d row %d: %s in group %d, earlier in %d", bi, i, key, gids[i], want)
						}
						continue
					}
					if other, ok := keyOf[gids[i]]; ok {
						t.Fatalf("batch %d row %d: %s shares group %d with %s", bi, i, key, gids[i], other)
					}
					groupOf[key], keyOf[gids[i]] = gids[i], key
				}
			}
			if g.count != len(groupOf) {
				t.Fatalf("%d groups, want %d", g.count, len(groupOf))
			}
		})
	}
}
