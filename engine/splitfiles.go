package engine

import (
	"context"
	"sync"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/storage"
)

// splitWorkers is how many files are split at once. Splitting a large
// CSV file reads it whole (format/textfile), so a source of many such
// files would otherwise be planned one read after another.
const splitWorkers = 4

// splitFiles splits every file of a source: the splits of locs[i] are
// element i of the result.
func splitFiles(ctx context.Context, f format.Format, locs []storage.Location, infos []storage.Info,
	target int64, options map[string]string) ([][]format.Split, error) {
	per := make([][]format.Split, len(locs))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu    sync.Mutex
		first error // the first failure; the others may only be its cancellation
		wg    sync.WaitGroup
	)
	sem := make(chan struct{}, splitWorkers)
	for i, l := range locs {
		if ctx.Err() != nil {
			break // a file failed: no point starting more
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			sp, err := format.SplitFile(ctx, f, l, infos[i].Size, target, options)
			if err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
				cancel()
			}
			per[i] = sp
		}()
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	return per, nil
}
