package optimizer

import "github.com/drover-etl/drover/plan/logical"

// pruneRepartition sends only the needed columns, and the hash keys,
// through the shuffle.
func pruneRepartition(r *logical.Repartition, need colSet) (logical.Node, colMap) {
	inNeed := append(colSet(nil), need...)
	for _, k := range r.Keys {
		inNeed.addExpr(k, 0)
	}
	in, m := pruneExact(r.Input, inNeed)
	return &logical.Repartition{Input: in, Partitions: r.Partitions, Keys: remapAll(r.Keys, m, in.Schema())}, m
}
