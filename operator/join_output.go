package operator

import (
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/plan/logical"
)

// finishProbe queues what the probe batch yields beyond its pairs and
// releases it.
func (j *joinOp) finishProbe() error {
	defer func() {
		j.cur.Release()
		j.cur, j.hit = nil, nil
	}()
	var out arrow.RecordBatch
	var err error
	switch j.spec.Type {
	case logical.SemiJoin, logical.AntiJoin:
		out, err = j.selectProbe(j.spec.Type == logical.SemiJoin)
	case logical.LeftJoin, logical.FullJoin:
		out, err = j.unmatchedProbe()
	case logical.MarkJoin:
		out, err = j.marked()
	}
	if err != nil {
		return evalFailed(err)
	}
	if out != nil {
		j.pending = append(j.pending, out)
	}
	return nil
}

// probeRows lists the current probe rows whose hit flag equals matched.
func (j *joinOp) probeRows(matched bool) []int32 {
	var keep []int32
	for i, h := range j.hit {
		if h == matched {
			keep = append(keep, int32(i))
		}
	}
	return keep
}

// selectProbe keeps probe rows with (semi) or without (anti) a match.
func (j *joinOp) selectProbe(matched bool) (arrow.RecordBatch, error) {
	keep := j.probeRows(matched)
	if len(keep) == 0 {
		return nil, nil
	}
	if len(keep) == len(j.hit) {
		return recordOf(retained(j.cur.Columns()), int64(len(keep))), nil
	}
	cols, err := takeRows(j.cur.Columns(), keep)
	if err != nil {
		return nil, err
	}
	return recordOf(cols, int64(len(keep))), nil
}

// unmatchedProbe emits the probe rows without a match, NULL-extended.
func (j *joinOp) unmatchedProbe() (arrow.RecordBatch, error) {
	keep := j.probeRows(false)
	if len(keep) == 0 {
		return nil, nil
	}
	left, err := takeRows(j.cur.Columns(), keep)
	if err != nil {
		return nil, err
	}
	right := nullColumns(j.buildIn.Schema(), len(keep))
	return recordOf(append(left, right...), int64(len(keep))), nil
}

// marked emits every probe row and its mark.
func (j *joinOp) marked() (arrow.RecordBatch, error) {
	b := array.NewBooleanBuilder(mem)
	defer b.Release()
	b.AppendValues(j.hit, nil)
	cols := append(retained(j.cur.Columns()), b.NewArray())
	return recordOf(cols, int64(len(j.hit))), nil
}

// unmatchedBuild lists the build rows no pair kept, for right and full
// joins.
func (j *joinOp) unmatchedBuild() []int32 {
	var out []int32
	for i, h := range j.buildHit {
		if !h {
			out = append(out, int32(i))
		}
	}
	return out
}

// emitUnmatchedBuild queues the next batch of unmatched build rows with
// NULL probe columns, or returns io.EOF when none are left.
func (j *joinOp) emitUnmatchedBuild() error {
	if len(j.unmatched) == 0 {
		return io.EOF
	}
	n := min(len(j.unmatched), j.batchRows)
	idx := j.unmatched[:n]
	j.unmatched = j.unmatched[n:]
	right, err := takeRows(j.build, idx)
	if err != nil {
		return evalFailed(err)
	}
	left := nullColumns(j.probe.Schema(), n)
	j.pending = append(j.pending, recordOf(append(left, right...), int64(n)))
	return nil
}

// nullColumns makes all-NULL columns of s's types.
func nullColumns(s *arrow.Schema, n int) []arrow.Array {
	out := make([]arrow.Array, s.NumFields())
	for i := range out {
		out[i] = array.MakeArrayOfNull(mem, s.Field(i).Type, n)
	}
	return out
}

// retained returns cols with one more reference each.
func retained(cols []arrow.Array) []arrow.Array {
	out := make([]arrow.Array, len(cols))
	for i, c := range cols {
		c.Retain()
		out[i] = c
	}
	return out
}
