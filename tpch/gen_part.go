package tpch

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// genParts generates parts [first, last) (0-based) with their four
// partsupp rows each.
func (g *generator) genParts(r *rand.Rand, first, last int64) []arrow.RecordBatch {
	parts := array.NewRecordBuilder(g.mem, Schemas[Part])
	supps := array.NewRecordBuilder(g.mem, Schemas[PartSupp])
	defer parts.Release()
	defer supps.Release()
	parts.Reserve(int(last - first))
	supps.Reserve(int(last-first) * 4)
	for i := first; i < last; i++ {
		g.genPart(r, parts.Fields(), i+1)
		for s := range int64(4) {
			g.genPartSupp(r, supps.Fields(), i+1, s)
		}
	}
	return []arrow.RecordBatch{parts.NewRecordBatch(), supps.NewRecordBatch()}
}

func (g *generator) genPart(r *rand.Rand, f []array.Builder, key int64) {
	m := uniform(r, 1, 5)
	f[0].(*array.Int64Builder).Append(key)
	f[1].(*array.StringBuilder).Append(partName(r))
	f[2].(*array.StringBuilder).Append(fmt.Sprintf("Manufacturer#%d", m))
	f[3].(*array.StringBuilder).Append(fmt.Sprintf("Brand#%d%d", m, uniform(r, 1, 5)))
	f[4].(*array.StringBuilder).Append(pick(r, typeSyllable1) + " " + pick(r, typeSyllable2) + " " + pick(r, typeSyllable3))
	f[5].(*array.Int32Builder).Append(int32(uniform(r, 1, 50)))
	f[6].(*array.StringBuilder).Append(pick(r, containerSyllable1) + " " + pick(r, containerSyllable2))
	appendMoney(f[7], retailPrice(key))
	f[8].(*array.StringBuilder).Append(g.pool.comment(r, 5, 22))
}

// partName is five distinct color words.
func partName(r *rand.Rand) string {
	var chosen [5]int
	for i := range chosen {
	again:
		c := r.IntN(len(colors))
		for _, prev := range chosen[:i] {
			if prev == c {
				goto again
			}
		}
		chosen[i] = c
	}
	var sb strings.Builder
	for i, c := range chosen {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(colors[c])
	}
	return sb.String()
}

func (g *generator) genPartSupp(r *rand.Rand, f []array.Builder, part, i int64) {
	f[0].(*array.Int64Builder).Append(part)
	f[1].(*array.Int64Builder).Append(partSupplier(part, i, g.n.suppliers))
	f[2].(*array.Int32Builder).Append(int32(uniform(r, 1, 9999)))
	appendMoney(f[3], int64(uniform(r, 100, 100_000)))
	f[4].(*array.StringBuilder).Append(g.pool.comment(r, 49, 198))
}
