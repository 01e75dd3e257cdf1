package operator

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/plan/logical"
)

// sortedCopy gathers the rows of recs (which it takes ownership of and
// empties) in the order of their trailing len(keys) key columns, one
// column at a time: a column is concatenated, gathered and its input
// dropped before the next, so that what is live beside the buffer the pool
// counted is about the sorted output replacing it plus one column — not
// the buffer, its concatenation and the gathered copy at once (three
// times what the sort reserved).
func sortedCopy(recs []arrow.RecordBatch, keys []logical.SortKey) (arrow.RecordBatch, error) {
	nf := int(recs[0].NumCols())
	nk := len(keys)
	n := 0
	parts := make([][]arrow.Array, nf)
	for c := range parts {
		parts[c] = make([]arrow.Array, len(recs))
	}
	for i, r := range recs {
		n += int(r.NumRows())
		for c := range nf {
			parts[c][i] = r.Column(c)
			parts[c][i].Retain()
		}
		r.Release()
		recs[i] = nil // its columns go with parts, as they are gathered
	}
	defer func() {
		for _, p := range parts {
			releaseAll(p)
		}
	}()
	keyCols := make([]arrow.Array, nk)
	defer func() { releaseAll(keyCols) }()
	for k := range nk {
		col, err := concatColumn(parts, nf-nk+k)
		if err != nil {
			return nil, err
		}
		keyCols[k] = col
	}
	perm := sortPermutation(keyCols, keys, n)
	out := make([]arrow.Array, nf)
	for c := range nf {
		col, err := gatherColumn(parts, keyCols, c, nf-nk, perm)
		if err != nil {
			releaseAll(out)
			return nil, err
		}
		out[c] = col
	}
	rec := array.NewRecordBatch(schemaOf(out), out, int64(n))
	releaseAll(out)
	return rec, nil
}

// gatherColumn gathers column c in perm's order (c ≥ firstKey: the key
// column already concatenated, which it then drops).
func gatherColumn(parts [][]arrow.Array, keyCols []arrow.Array, c, firstKey int, perm []int32) (arrow.Array, error) {
	var col arrow.Array
	if c >= firstKey {
		col, keyCols[c-firstKey] = keyCols[c-firstKey], nil
	} else {
		var err error
		if col, err = concatColumn(parts, c); err != nil {
			return nil, err
		}
	}
	defer col.Release()
	taken, err := takeRows([]arrow.Array{col}, perm)
	if err != nil {
		return nil, err
	}
	return taken[0], nil
}

// concatColumn concatenates column c of every batch (dictionaries
// unpacked) and drops the pieces.
func concatColumn(parts [][]arrow.Array, c int) (arrow.Array, error) {
	plains := make([]arrow.Array, 0, len(parts[c]))
	defer func() { releaseAll(plains) }()
	for _, a := range parts[c] {
		p, err := plain(a)
		if err != nil {
			return nil, err
		}
		plains = append(plains, p)
	}
	releaseAll(parts[c])
	parts[c] = nil
	return array.Concatenate(plains, mem)
}
