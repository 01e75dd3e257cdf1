package commit

import (
	"context"
	"errors"
	"fmt"

	"github.com/drover-etl/drover/storage"
)

// Leftovers counts what CleanRun removed.
type Leftovers struct {
	Staged  int // staged files
	Uploads int // incomplete uploads
	Locks   int // run locks
}

// CleanRun removes what a crashed run left in a sink directory: its
// staging prefix, its incomplete uploads (named with the run's tag) and
// its run lock. Committed output is never touched.
func CleanRun(ctx context.Context, dir, run string) (Leftovers, error) {
	var n Leftovers
	out, err := storage.Resolve(ctx, dir)
	if err != nil {
		return n, err
	}
	staging := out.Join("_staging", run)
	infos, err := out.Store.List(ctx, staging.Key+"/")
	if err != nil && !errors.Is(err, storage.ErrNotExist) {
		return n, err
	}
	for _, in := range infos {
		if err := out.Store.Delete(ctx, in.Key); err != nil {
			return n, err
		}
		n.Staged++
	}
	if dp, ok := out.Store.(storage.DirPruner); ok {
		dp.PruneDirs(ctx, staging.Key)
	}
	if dc, ok := out.Store.(storage.DeferredCreator); ok {
		k, err := dc.AbortAllDeferred(ctx, prefixOf(out), func(key string) bool { return ofRun(run, key) })
		n.Uploads += k
		if err != nil {
			return n, err
		}
	}
	holder, err := LockRun(ctx, out)
	if err != nil {
		return n, fmt.Errorf("read lock of %s: %w", out.URL(), err)
	}
	if holder == run {
		if err := out.Store.Delete(ctx, out.Join(LockName).Key); err != nil {
			return n, err
		}
		n.Locks++
	}
	return n, nil
}
