package driver

import (
	"context"
	"sort"
	"sync"

	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/stage"
	"github.com/drover-etl/drover/types"
)

// sampleBounds runs the stage's tasks in sample mode, pools the sort-key
// samples and picks Partitions-1 bounds at even quantiles, as Spark's
// RangePartitioner does.
func (s *scheduler) sampleBounds(ctx context.Context, st *stage.Stage) error {
	var (
		mu      sync.Mutex
		samples [][]types.Value
		wg      sync.WaitGroup
	)
	n := s.taskCount(st)
	errs := make([]error, n)
	for p := 0; p < n; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			res, err := s.runTask(ctx, st, p, true)
			if err != nil {
				errs[p] = err
				return
			}
			mu.Lock()
			samples = append(samples, res.Samples...)
			mu.Unlock()
		}(p)
	}
	wg.Wait()
	if err := firstError(errs); err != nil {
		return err
	}
	b := Bounds(samples, st.Output.SortKeys, st.Output.Partitions)
	s.mu.Lock()
	s.bounds[st.ID] = b
	s.mu.Unlock()
	return nil
}

// Bounds sorts the sampled key rows and returns parts-1 distinct cut points.
func Bounds(samples [][]types.Value, keys []logical.SortKey, parts int) [][]types.Value {
	if parts <= 1 || len(samples) == 0 {
		return nil
	}
	sort.SliceStable(samples, func(i, j int) bool { return logical.CompareKeyRows(samples[i], samples[j], keys) < 0 })
	var out [][]types.Value
	for i := 1; i < parts; i++ {
		b := samples[i*len(samples)/parts]
		if len(out) > 0 && logical.CompareKeyRows(out[len(out)-1], b, keys) == 0 {
			continue
		}
		out = append(out, b)
	}
	return out
}
