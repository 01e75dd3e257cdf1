package operator

import (
	"fmt"

	"github.com/drover-etl/drover/plan/logical"
)

// newWinFunc builds the evaluator of one window function; cols are the
// buffer columns of its arguments, keyCol the first order key's.
func newWinFunc(f logical.WindowFunc, cols []int, keyCol int, order []logical.SortKey) (winFunc, error) {
	switch f.Kind {
	case logical.WinRowNumber, logical.WinRank, logical.WinDenseRank, logical.WinPercentRank, logical.WinCumeDist:
		return &rankFunc{kind: f.Kind}, nil
	case logical.WinNtile:
		return &ntileFunc{col: cols[0]}, nil
	case logical.WinLag, logical.WinLead:
		def := -1
		if len(cols) > 1 {
			def = cols[1]
		}
		return &lagLeadFunc{lead: f.Kind == logical.WinLead, off: f.Offset, ignore: f.IgnoreNulls, col: cols[0], defCol: def}, nil
	}
	cur, err := newFrameCursor(f.Frame, order, keyCol)
	if err != nil {
		return nil, err
	}
	switch f.Kind {
	case logical.WinFirstValue, logical.WinLastValue, logical.WinNthValue:
		return &frameValueFunc{kind: f.Kind, n: f.N, ignore: f.IgnoreNulls, col: cols[0], cur: cur,
			fixed: f.Frame.Start.Kind == logical.UnboundedPreceding}, nil
	case logical.WinAggregate:
		col := -1
		if len(cols) > 0 {
			col = cols[0]
		}
		if s, ok := newSlider(f); ok {
			return &aggFunc{cur: cur, s: s, col: col, removes: f.Frame.Start.Kind != logical.UnboundedPreceding}, nil
		}
		return newGenericAgg(f, cur, col), nil
	}
	return nil, fmt.Errorf("not supported: window function %s", f.Kind)
}
