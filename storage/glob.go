package storage

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"
)

// HasGlob reports whether a key has glob metacharacters.
func HasGlob(key string) bool { return strings.ContainsAny(key, "*?[") }

// Expand lists the objects a path names: one object, every object below a
// directory-like prefix, or every object matching a glob (path.Match
// syntax per segment, e.g. "data/day=*/part-*.csv"). Hidden names (a segment
// starting with "_" or ".", like _SUCCESS or staging folders) are skipped.
// A directory with a Drover manifest (ManifestName; for a glob, in the
// directory before its first wildcard) yields exactly the files the
// manifest names, so a reader never sees a commit half published or files
// that are not part of the output.
// It is an error when nothing matches: a missing input never reads as empty.
func Expand(ctx context.Context, p string) ([]Location, error) {
	locs, _, err := ExpandInfo(ctx, p)
	return locs, err
}

// ExpandInfo is Expand that also returns each object's Info (size, time)
// from the listing, so callers need not Stat every object again.
func ExpandInfo(ctx context.Context, p string) ([]Location, []Info, error) {
	loc, err := Resolve(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	infos, err := expandInfos(ctx, loc)
	if err != nil {
		return nil, nil, err
	}
	out := make([]Location, len(infos))
	for i, in := range infos {
		out[i] = Location{Store: loc.Store, Key: in.Key}
	}
	if len(out) == 0 {
		return nil, nil, &PathError{Op: "read", URL: loc.URL(), Err: fmt.Errorf("%w: no input files match", ErrNotExist)}
	}
	return out, infos, nil
}

// expandInfos lists what loc names, honouring a manifest, else skipping
// hidden names.
func expandInfos(ctx context.Context, loc Location) ([]Info, error) {
	if !HasGlob(loc.Key) {
		if in, err := loc.Store.Stat(ctx, loc.Key); err == nil {
			return []Info{in}, nil
		}
	}
	dir := Location{Store: loc.Store, Key: strings.TrimSuffix(staticPrefix(loc.Key), "/")}
	infos, err := loc.Store.List(ctx, dirPrefix(dir.Key))
	if err != nil {
		return nil, err
	}
	if HasGlob(loc.Key) {
		infos = matchGlob(loc.Key, infos)
		m, err := ReadManifest(ctx, dir)
		if err != nil {
			return nil, err
		}
		if m != nil {
			return inManifest(m, dirPrefix(dir.Key), infos), nil
		}
	} else if kept, ok, err := honourManifest(ctx, dir, infos); ok || err != nil {
		sort.Slice(kept, func(i, j int) bool { return kept[i].Key < kept[j].Key })
		return kept, err
	}
	var kept []Info
	for _, in := range infos {
		if !hidden(strings.TrimPrefix(in.Key, staticPrefix(loc.Key))) {
			kept = append(kept, in)
		}
	}
	return kept, nil
}

// inManifest keeps the infos whose path below prefix m names.
func inManifest(m *Manifest, prefix string, infos []Info) []Info {
	var kept []Info
	for _, in := range infos {
		if m.Has(strings.TrimPrefix(in.Key, prefix)) {
			kept = append(kept, in)
		}
	}
	return kept
}

// matchGlob keeps the listed objects whose keys match the glob.
func matchGlob(glob string, all []Info) []Info {
	pattern := strings.Split(glob, "/")
	var out []Info
	for _, in := range all {
		if matchSegments(pattern, strings.Split(in.Key, "/")) {
			out = append(out, in)
		}
	}
	return out
}

// matchSegments matches a key against a glob, segment by segment; a glob
// that ends early matches everything below (a glob naming directories).
func matchSegments(pattern, key []string) bool {
	if len(key) < len(pattern) {
		return false
	}
	for i, p := range pattern {
		if ok, _ := path.Match(p, key[i]); !ok {
			return false
		}
	}
	return true
}

// staticPrefix is the part of a key before its first glob segment.
func staticPrefix(key string) string {
	segs := strings.Split(key, "/")
	for i, s := range segs {
		if HasGlob(s) {
			if i == 0 {
				return ""
			}
			return strings.Join(segs[:i], "/") + "/"
		}
	}
	return key
}

func hidden(rel string) bool {
	for _, seg := range strings.Split(rel, "/") {
		if strings.HasPrefix(seg, "_") || strings.HasPrefix(seg, ".") {
			return true
		}
	}
	return false
}
