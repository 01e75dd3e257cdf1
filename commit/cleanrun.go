package commit

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/drover-etl/drover/storage"
)

// Leftovers counts what CleanRun removed.
type Leftovers struct {
	Staged      int // staged files
	Uploads     int // incomplete uploads
	Locks       int // run locks
	Unpublished int // files published by a commit that never wrote its manifest
}

// CleanRun removes what a crashed run left in a sink directory: its
// staging prefix, its incomplete uploads (named with the run's tag), its
// run lock, and the files a commit that died before writing its manifest
// had already published (named with the run's tag, not in the manifest).
// Committed output is never touched.
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
	k, err := removeUnpublished(ctx, out, run)
	n.Unpublished += k
	if err != nil {
		return n, err
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

// removeUnpublished deletes the run's files that the manifest does not
// name: the run died between publishing and its commit point.
func removeUnpublished(ctx context.Context, out storage.Location, run string) (int, error) {
	m, err := storage.ReadManifest(ctx, out)
	if err != nil {
		return 0, err
	}
	infos, err := out.Store.List(ctx, prefixOf(out))
	if err != nil && !errors.Is(err, storage.ErrNotExist) {
		return 0, err
	}
	n := 0
	for _, in := range infos {
		rel := strings.TrimPrefix(in.Key, prefixOf(out))
		if !ofRun(run, in.Key) || strings.HasPrefix(rel, "_staging/") || (m != nil && m.Has(rel)) {
			continue
		}
		if err := out.Store.Delete(ctx, in.Key); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
