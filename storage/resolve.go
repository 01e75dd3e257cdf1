package storage

import (
	"context"
	"fmt"
	"path"
	"strings"
	"sync"
)

// Opener builds a Store for a location of its scheme. For "s3://bucket/p",
// the scheme is "s3", root is "bucket" and the remaining "p" becomes the key.
type Opener func(ctx context.Context, root string) (Store, error)

var (
	mu      sync.Mutex
	openers = map[string]Opener{}
	cache   = map[string]Store{}
)

// Register makes a scheme available to Resolve. Implementations call it
// from init; "file" (and bare paths) belong to storage/local.
func Register(scheme string, o Opener) {
	mu.Lock()
	defer mu.Unlock()
	openers[scheme] = o
}

// Location is a parsed path: the store it lives in and the key inside it.
type Location struct {
	Store Store
	Key   string
}

// URL renders the location for messages.
func (l Location) URL() string { return l.Store.URL(l.Key) }

// Join returns the location of a key below this one.
func (l Location) Join(elem ...string) Location {
	return Location{Store: l.Store, Key: JoinKey(append([]string{l.Key}, elem...)...)}
}

// JoinKey joins key parts with slashes, dropping empty parts.
func JoinKey(parts ...string) string {
	var keep []string
	for _, p := range parts {
		p = strings.Trim(p, "/")
		if p != "" {
			keep = append(keep, p)
		}
	}
	return path.Join(keep...)
}

// SplitScheme splits "s3://bucket/key" into ("s3", "bucket", "key"); a bare
// or file:// path gives ("file", "/", path) for absolute paths and
// ("file", "", path) for relative ones.
func SplitScheme(p string) (scheme, root, key string) {
	if i := strings.Index(p, "://"); i > 0 {
		scheme = p[:i]
		rest := p[i+3:]
		if scheme == "file" {
			return splitLocal(rest)
		}
		root, key, _ = strings.Cut(rest, "/")
		return scheme, root, key
	}
	return splitLocal(p)
}

func splitLocal(p string) (string, string, string) {
	if strings.HasPrefix(p, "/") {
		return "file", "/", strings.TrimPrefix(p, "/")
	}
	return "file", "", p
}

// Resolve finds the store for a path and the key inside it. Stores are
// cached per (scheme, root) for the life of the process.
func Resolve(ctx context.Context, p string) (Location, error) {
	scheme, root, key := SplitScheme(p)
	mu.Lock()
	defer mu.Unlock()
	id := scheme + "://" + root
	if s, ok := cache[id]; ok {
		return Location{Store: s, Key: key}, nil
	}
	o, ok := openers[scheme]
	if !ok {
		return Location{}, fmt.Errorf("%w %q in %q", ErrNoScheme, scheme, p)
	}
	s, err := o(ctx, root)
	if err != nil {
		return Location{}, fmt.Errorf("open %s: %w", id, err)
	}
	cache[id] = s
	return Location{Store: s, Key: key}, nil
}

// ResetCache forgets every opened store, so the next Resolve builds them
// anew (tests that change credentials in the environment use it).
func ResetCache() {
	mu.Lock()
	defer mu.Unlock()
	cache = map[string]Store{}
}
