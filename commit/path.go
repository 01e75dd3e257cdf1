package commit

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/drover-etl/drover/storage"
)

// CheckPath refuses sink paths that would make overwrite or cleanup reach
// further than the user meant: a bucket or filesystem root, a path that
// climbs with "..", and one that does not normalize ("./out", "a//b",
// "a/./b"), whose meaning differs between stores. It runs before any
// task, so a bad path costs nothing.
func CheckPath(p string) error {
	scheme, root, key := storage.SplitScheme(p)
	trimmed := strings.TrimSuffix(key, "/")
	switch {
	case trimmed == "" && scheme != "file":
		return fmt.Errorf("%w: %s is the root of bucket %q; write into a directory below it", ErrUnsafePath, p, root)
	case trimmed == "" || trimmed == ".":
		return fmt.Errorf("%w: %s is a filesystem root or the working directory itself; write into a directory below it", ErrUnsafePath, p)
	case strings.HasPrefix(trimmed, "/") || path.Clean(trimmed) != trimmed:
		return fmt.Errorf("%w: %s does not normalize (empty, \".\" or \"..\" segments); write it as %s", ErrUnsafePath, p, suggest(scheme, root, trimmed))
	case trimmed == ".." || strings.HasPrefix(trimmed, "../") || strings.Contains(trimmed, "/../") || strings.HasSuffix(trimmed, "/.."):
		return fmt.Errorf("%w: %s climbs out of its directory with \"..\"", ErrUnsafePath, p)
	}
	return nil
}

// suggest renders the normalized form of a refused path.
func suggest(scheme, root, key string) string {
	clean := strings.TrimPrefix(path.Clean("/"+key), "/")
	switch {
	case scheme != "file":
		return scheme + "://" + root + "/" + clean
	case root == "/":
		return "/" + clean
	}
	return clean
}

// Canonical renders a path so that two spellings of one place compare
// equal: scheme, root and cleaned key, local paths made absolute.
func Canonical(p string) string {
	scheme, root, key := storage.SplitScheme(p)
	key = strings.TrimPrefix(path.Clean("/"+key), "/")
	if scheme == "file" {
		abs, err := filepath.Abs(filepath.Join(root, filepath.FromSlash(key)))
		if err == nil {
			return "file://" + filepath.ToSlash(abs)
		}
	}
	return scheme + "://" + root + "/" + key
}

// Within reports whether path a is b or lies below it (both canonical).
func Within(a, b string) bool {
	a, b = strings.TrimSuffix(a, "/"), strings.TrimSuffix(b, "/")
	return a == b || strings.HasPrefix(a, b+"/")
}
