package commit

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/storage"
)

// nextManifest lists the version this commit makes: the published files
// and, in append mode, the previous version's files (or, before Drover's
// first manifest there, the files already visible, marked adopted).
func (s *Sink) nextManifest(ctx context.Context, prev *storage.Manifest, old []storage.Info, published []string) (*storage.Manifest, error) {
	m := &storage.Manifest{Version: storage.ManifestVersion, Run: s.run, Sink: s.Spec.Sink, Committed: time.Now().UTC()}
	seen := map[string]bool{}
	if s.Spec.Mode == logical.ModeAppend {
		if prev != nil {
			m.Files = append(m.Files, prev.Files...)
		} else {
			for _, in := range old {
				m.Files = append(m.Files, storage.ManifestFile{Path: s.rel(in.Key), Size: in.Size, Adopted: true})
			}
		}
		for _, f := range m.Files {
			seen[f.Path] = true
		}
	}
	sizes, err := s.sizes(ctx)
	if err != nil {
		return nil, err
	}
	for _, key := range published {
		size, ok := sizes[key]
		if !ok {
			return nil, fmt.Errorf("published file %s is not in the listing of %s", s.out.Store.URL(key), s.out.URL())
		}
		if rel := s.rel(key); !seen[rel] {
			seen[rel] = true
			m.Files = append(m.Files, storage.ManifestFile{Path: rel, Size: size})
		}
	}
	sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].Path < m.Files[j].Path })
	return m, nil
}

// sizes lists the output directory once: key → size.
func (s *Sink) sizes(ctx context.Context) (map[string]int64, error) {
	infos, err := s.out.Store.List(ctx, prefixOf(s.out))
	if err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(infos))
	for _, in := range infos {
		out[in.Key] = in.Size
	}
	return out, nil
}

func (s *Sink) rel(key string) string { return strings.TrimPrefix(key, prefixOf(s.out)) }

// writeManifest writes next; if that fails it puts prev back (the write
// may have landed even though it reported an error), so unpublishing the
// new files cannot leave a manifest naming missing ones.
func (s *Sink) writeManifest(ctx context.Context, prev, next *storage.Manifest) error {
	err := storage.WriteManifest(ctx, s.out, next)
	if err == nil {
		return nil
	}
	done := context.WithoutCancel(ctx)
	if prev != nil {
		storage.WriteManifest(done, s.out, prev)
	} else {
		s.out.Store.Delete(done, s.out.Join(storage.ManifestName).Key)
	}
	return fmt.Errorf("write %s: %w", s.out.Join(storage.ManifestName).URL(), err)
}

// deleteOld removes, after an overwrite, the files an earlier Drover
// commit wrote that the new version does not have: those the previous
// manifest names (adopted ones excepted), or, for output committed before
// Drover kept manifests (_SUCCESS present, no manifest), the visible files
// named the way Drover names its output files. Files anyone else put in
// the directory are never deleted.
func (s *Sink) deleteOld(ctx context.Context, prev *storage.Manifest, old []storage.Info, next *storage.Manifest, hadMarker bool) error {
	var doomed []string
	switch {
	case prev != nil:
		for _, f := range prev.Files {
			if !f.Adopted && !next.Has(f.Path) {
				doomed = append(doomed, f.Path)
			}
		}
	case hadMarker:
		for _, in := range old {
			if rel := s.rel(in.Key); droverName.MatchString(path.Base(rel)) && !next.Has(rel) {
				doomed = append(doomed, rel)
			}
		}
	}
	for _, rel := range doomed {
		if err := s.out.Store.Delete(ctx, s.out.Join(rel).Key); err != nil {
			return err
		}
	}
	return nil
}

// droverName matches the names FileName makes (any run).
var droverName = regexp.MustCompile(`^part-[0-9]{5}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[A-Za-z0-9.]+$`)

// hasOutput reports whether dir holds a committed version: a manifest
// naming files, or (without one) any visible file.
func hasOutput(ctx context.Context, dir storage.Location) (bool, error) {
	m, err := storage.ReadManifest(ctx, dir)
	if err != nil {
		return false, err
	}
	if m != nil {
		return len(m.Files) > 0, nil
	}
	vis, err := visible(ctx, dir)
	return len(vis) > 0, err
}

// bytesOf sums the sizes m records for the published keys.
func (s *Sink) bytesOf(m *storage.Manifest, published []string) int64 {
	mine := map[string]bool{}
	for _, k := range published {
		mine[s.rel(k)] = true
	}
	var n int64
	for _, f := range m.Files {
		if mine[f.Path] {
			n += f.Size
		}
	}
	return n
}
