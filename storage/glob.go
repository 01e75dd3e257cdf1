package storage

import (
	"context"
	"fmt"
	"path"
	"strings"
)

// HasGlob reports whether a key has glob metacharacters.
func HasGlob(key string) bool { return strings.ContainsAny(key, "*?[") }

// Expand lists the objects a path names: one object, every object below a
// directory-like prefix, or every object matching a glob (path.Match
// syntax per segment, e.g. "data/day=*/part-*.csv"). Hidden names (a segment
// starting with "_" or ".", like _SUCCESS or staging folders) are skipped.
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
	var infos []Info
	if HasGlob(loc.Key) {
		infos, err = expandGlob(ctx, loc)
	} else {
		infos, err = expandPrefix(ctx, loc)
	}
	if err != nil {
		return nil, nil, err
	}
	var out []Location
	var kept []Info
	for _, in := range infos {
		if !hidden(strings.TrimPrefix(in.Key, staticPrefix(loc.Key))) {
			out = append(out, Location{Store: loc.Store, Key: in.Key})
			kept = append(kept, in)
		}
	}
	if len(out) == 0 {
		return nil, nil, &PathError{Op: "read", URL: loc.URL(), Err: fmt.Errorf("%w: no input files match", ErrNotExist)}
	}
	return out, kept, nil
}

func expandPrefix(ctx context.Context, loc Location) ([]Info, error) {
	if in, err := loc.Store.Stat(ctx, loc.Key); err == nil {
		return []Info{in}, nil
	}
	prefix := strings.TrimSuffix(loc.Key, "/")
	if prefix != "" {
		prefix += "/"
	}
	return loc.Store.List(ctx, prefix)
}

func expandGlob(ctx context.Context, loc Location) ([]Info, error) {
	all, err := loc.Store.List(ctx, staticPrefix(loc.Key))
	if err != nil {
		return nil, err
	}
	pattern := strings.Split(loc.Key, "/")
	var out []Info
	for _, in := range all {
		if matchSegments(pattern, strings.Split(in.Key, "/")) {
			out = append(out, in)
		}
	}
	return out, nil
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
