package optimizer

import "github.com/drover-etl/drover/plan/logical"

// pruneJoin asks each input for the output columns read above plus its
// keys and its share of the join filter, narrowed exactly: a join
// materializes (and maybe shuffles) every column of both inputs.
func pruneJoin(j *logical.Join, need colSet) (logical.Node, colMap) {
	nl, nr := j.Left.Schema().Len(), j.Right.Schema().Len()
	needL, needR := make(colSet, nl), make(colSet, nr)
	copy(needL, need)
	if j.Type.EmitsRight() {
		copy(needR, need[nl:])
	}
	for i := range j.LeftKeys {
		needL.addExpr(j.LeftKeys[i], 0)
		needR.addExpr(j.RightKeys[i], 0)
	}
	needL.addExpr(j.Filter, 0)
	needR.addExpr(j.Filter, nl)

	left, ml := pruneExact(j.Left, needL)
	right, mr := pruneExact(j.Right, needR)
	both := concatMaps(ml, mr, left.Schema().Len())
	c := *j
	c.Left, c.Right = left, right
	c.LeftKeys = remapAll(j.LeftKeys, ml, left.Schema())
	c.RightKeys = remapAll(j.RightKeys, mr, right.Schema())
	c.Filter = remap(j.Filter, both, left.Schema().Concat(right.Schema()))
	switch {
	case j.Type == logical.MarkJoin:
		return &c, append(ml[:nl:nl], left.Schema().Len()) // the mark stays last
	case !j.Type.EmitsRight():
		return &c, ml
	}
	return &c, both
}

// concatMaps maps left ++ right columns, the right ones shifted by offset.
func concatMaps(ml, mr colMap, offset int) colMap {
	out := append(colMap(nil), ml...)
	for _, r := range mr {
		if r >= 0 {
			r += offset
		}
		out = append(out, r)
	}
	return out
}
