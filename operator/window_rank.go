package operator

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/plan/logical"
)

// rankFunc computes the ranking functions from the row positions alone:
// no values are read, so nothing is kept between evaluations.
type rankFunc struct {
	kind logical.WindowKind
}

func (f *rankFunc) need() int64 { return noNeed }

func (f *rankFunc) eval(b *winBuf) (arrow.Array, error) {
	n := b.rows()
	if f.kind == logical.WinPercentRank || f.kind == logical.WinCumeDist {
		out := make([]float64, n)
		for r := range n {
			size := float64(b.partEnd[r] - b.partStart[r])
			if f.kind == logical.WinCumeDist {
				out[r] = float64(b.peerEnd[r]-b.partStart[r]) / size
			} else if size > 1 {
				out[r] = float64(b.peerStart[r]-b.partStart[r]) / (size - 1)
			}
		}
		return wrapFixed(arrow.PrimitiveTypes.Float64, out, nil), nil
	}
	out := make([]int64, n)
	for r := range n {
		i := b.from + int64(r)
		switch f.kind {
		case logical.WinRowNumber:
			out[r] = i - b.partStart[r] + 1
		case logical.WinRank:
			out[r] = b.peerStart[r] - b.partStart[r] + 1
		case logical.WinDenseRank:
			out[r] = b.group[r] + 1
		}
	}
	return wrapFixed(arrow.PrimitiveTypes.Int64, out, nil), nil
}

// ntileFunc splits each partition into n buckets whose sizes differ by at
// most one, the larger ones first (DuckDB's and PostgreSQL's rule). The
// bucket count is read per row; NULL gives NULL.
type ntileFunc struct {
	col int
}

func (f *ntileFunc) need() int64 { return noNeed }

func (f *ntileFunc) eval(b *winBuf) (arrow.Array, error) {
	buckets := asInt64s(b.cols[f.col])
	arg := b.cols[f.col]
	n := b.rows()
	out := make([]int64, n)
	valid := make([]bool, n)
	for r := range n {
		i := b.from + int64(r)
		j := b.idx(i)
		if arg.IsNull(j) {
			continue
		}
		k := buckets[j]
		if k <= 0 {
			return nil, fmt.Errorf("ntile: the number of buckets must be positive, got %d", k)
		}
		total := b.partEnd[r] - b.partStart[r]
		pos := i - b.partStart[r]
		size := total / k
		large := total - k*size // buckets holding size+1 rows
		inLarge := large * (size + 1)
		if pos < inLarge {
			out[r] = 1 + pos/(size+1)
		} else {
			out[r] = 1 + large + (pos-inLarge)/size
		}
		valid[r] = true
	}
	return wrapFixed(arrow.PrimitiveTypes.Int64, out, valid), nil
}
