package optimizer

import (
	"math"

	"github.com/drover-etl/drover/plan/logical"
)

// Size estimation for join strategy. Estimates are bytes, +Inf when
// unknown (a scan of unknown size): unknown never looks small enough to
// broadcast. The factors are guesses in the spirit of Spark's defaults; only
// their order matters, since they only compare sides and a threshold.
const (
	filterSelectivity    = 0.25 // per Filter node, or per scan with filters
	aggregateSelectivity = 0.5  // per grouped Aggregate
)

var unknownSize = math.Inf(1)

// estimate guesses the bytes n produces.
func estimate(n logical.Node) float64 {
	switch t := n.(type) {
	case *logical.Scan:
		return estimateScan(t)
	case *logical.Filter:
		return estimate(t.Input) * filterSelectivity
	case *logical.Project:
		return estimate(t.Input) * widthRatio(t, t.Input)
	case *logical.Aggregate:
		return estimateAggregate(t)
	case *logical.Limit:
		if t.Unbounded() {
			return estimate(t.Input)
		}
		return min(estimate(t.Input), float64(t.N)*float64(rowWidth(t.Schema())))
	case *logical.Expand, *logical.Values, *logical.Replicate, *logical.SetOp:
		return estimateSetNode(n)
	case *logical.Join:
		return estimateJoin(t)
	case *logical.Alias, *logical.Sort, *logical.Distinct, *logical.Write, *logical.Repartition, *logical.Coalesce:
		return estimate(n.Children()[0])
	case *logical.Window:
		return estimate(t.Input) * widthRatio(t, t.Input)
	case *logical.Union:
		sum := 0.0
		for _, in := range t.Inputs {
			sum += estimate(in)
		}
		return sum
	}
	return unknownSize
}

// estimateScan scales the input size by the share of the row width the
// scan reads (by type width rather than column count: a string column
// weighs more than a bool) and by the selectivity of its filters.
func estimateScan(s *logical.Scan) float64 {
	if s.SizeBytes <= 0 {
		return unknownSize
	}
	size := float64(s.SizeBytes)
	if full := rowWidth(s.Table); full > 0 {
		size *= float64(rowWidth(s.Schema())) / float64(full)
	}
	if len(s.Filters) > 0 {
		size *= filterSelectivity
	}
	return size
}

// estimateAggregate: a global aggregate is one row whatever its input.
func estimateAggregate(a *logical.Aggregate) float64 {
	if len(a.GroupBy) == 0 {
		return float64(rowWidth(a.Schema()))
	}
	return estimate(a.Input) * aggregateSelectivity * widthRatio(a, a.Input)
}

// estimateJoin: the output size of a join is anyone's guess without key
// statistics; the inputs' sum is a middle road between a selective key
// join and a fan-out.
func estimateJoin(j *logical.Join) float64 {
	if !j.Type.EmitsRight() {
		return estimate(j.Left)
	}
	return estimate(j.Left) + estimate(j.Right)
}

// widthRatio is how much wider (or narrower) n's rows are than in's.
func widthRatio(n, in logical.Node) float64 {
	w := rowWidth(in.Schema())
	if w == 0 {
		return 1
	}
	return float64(rowWidth(n.Schema())) / float64(w)
}
