package logical

import "math"

// Lookahead is how far past a row a window function must read before the
// row's value is known. It decides whether a Window streams in bounded
// memory or holds whole partitions (DataFusion makes the same split between
// BoundedWindowAggExec and WindowAggExec).
type Lookahead uint8

// Lookaheads, from cheapest.
const (
	// LookNone: the value depends on this row and rows before it only
	// (row_number, rank, dense_rank, lag, ROWS frames ending at CURRENT ROW
	// or n PRECEDING).
	LookNone Lookahead = iota
	// LookPeers: also on the rest of the row's peer group (RANGE and GROUPS
	// frames ending at CURRENT ROW or n PRECEDING, RANGE offsets, which
	// treat NULL keys as one peer group).
	LookPeers
	// LookRows: also on the next RowsAhead rows (lead without IGNORE NULLS,
	// ROWS frames ending n FOLLOWING).
	LookRows
	// LookPartition: on rows up to the end of the partition (percent_rank,
	// cume_dist, ntile, lead IGNORE NULLS, frames ending UNBOUNDED
	// FOLLOWING, RANGE and GROUPS frames reaching FOLLOWING).
	LookPartition
)

var lookaheadNames = [...]string{"none", "peers", "rows", "partition"}

func (l Lookahead) String() string { return lookaheadNames[l] }

// Lookahead reports what the function must see past a row.
func (f WindowFunc) Lookahead() Lookahead {
	switch f.Kind {
	case WinRowNumber, WinRank, WinDenseRank, WinLag:
		return LookNone
	case WinPercentRank, WinCumeDist, WinNtile:
		return LookPartition
	case WinLead:
		if f.IgnoreNulls {
			return LookPartition
		}
		return LookRows
	}
	fr := f.Frame
	switch {
	case fr.End.Kind == UnboundedFollowing:
		return LookPartition
	case fr.Unit == FrameRows && fr.End.Kind == Following:
		return LookRows
	case fr.End.Kind == Following:
		return LookPartition
	case fr.Unit == FrameRows:
		return LookNone
	}
	return LookPeers
}

// RowsAhead is how many rows past the current one a LookRows function
// reads (0 for the other classes).
func (f WindowFunc) RowsAhead() int64 {
	if f.Lookahead() != LookRows {
		return 0
	}
	if f.Kind == WinLead {
		return f.Offset
	}
	n := f.Frame.End.Offset.I
	if f.Frame.Start.Kind == Following {
		n = max(n, f.Frame.Start.Offset.I) // an empty frame starting further on
	}
	return min(n, math.MaxInt64/4)
}

// WindowLookahead is the largest lookahead of funcs: LookPartition means the
// operator holds each partition in memory.
func WindowLookahead(funcs []WindowFunc) Lookahead {
	l := LookNone
	for _, f := range funcs {
		l = max(l, f.Lookahead())
	}
	return l
}

// BufferedFuncs names the functions that need whole partitions, for plans
// and for the error raised when a partition does not fit in memory.
func BufferedFuncs(funcs []WindowFunc) []string {
	var out []string
	for _, f := range funcs {
		if f.Lookahead() == LookPartition {
			out = append(out, f.FuncName()+" AS "+f.Name)
		}
	}
	return out
}
