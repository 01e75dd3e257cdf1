package dataset

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/drover-etl/drover/storage"
)

// HiveNull is the directory value Hive, Spark, DuckDB and Drover's sinks
// write for a NULL partition value.
const HiveNull = "__HIVE_DEFAULT_PARTITION__"

// segment is one key=value directory of a file's path, unescaped; null
// marks HiveNull.
type segment struct {
	key, value string
	null       bool
}

// partitionDirs parses the key=value directories of key below base (the
// file name itself is not a directory). Other directories are skipped.
func partitionDirs(base, key string) ([]segment, error) {
	rel, below := strings.CutPrefix(key, base)
	if !below {
		return nil, nil // the path names this one file: no directory is below it
	}
	dirs := strings.Split(rel, "/")
	dirs = dirs[:len(dirs)-1]
	var out []segment
	seen := map[string]bool{}
	for _, d := range dirs {
		k, v, null, ok := ParseDir(d)
		if !ok {
			continue
		}
		if seen[strings.ToLower(k)] {
			return nil, fmt.Errorf("%w: key %q appears twice in one path", ErrLayout, k)
		}
		seen[strings.ToLower(k)] = true
		out = append(out, segment{key: k, value: v, null: null})
	}
	return out, nil
}

// ParseDir reads one directory name as a Hive partition: key and value
// unescaped, null for HiveNull; ok is false when it is not key=value.
func ParseDir(dir string) (key, value string, null, ok bool) {
	k, v, found := strings.Cut(dir, "=")
	if !found || k == "" {
		return "", "", false, false
	}
	return unescape(k), unescape(v), v == HiveNull, true
}

// unescape undoes Hive's %XX escaping; a '%' not followed by two hex
// digits stays as written (Hive leaves such names alone too).
func unescape(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if b, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				sb.WriteByte(byte(b))
				i += 2
				continue
			}
		}
		sb.WriteByte(s[i])
	}
	return sb.String()
}

// baseKey is the part of the source path's key that partition directories
// are found below: the path itself for a directory prefix, the part before
// the first glob segment for a glob.
func baseKey(key string) string {
	segs := strings.Split(key, "/")
	for i, s := range segs {
		if storage.HasGlob(s) && i == 0 {
			return ""
		}
		if storage.HasGlob(s) {
			return strings.Join(segs[:i], "/") + "/"
		}
	}
	if key == "" {
		return ""
	}
	return strings.TrimSuffix(key, "/") + "/"
}

// layout checks that every file has the same partition keys in the same
// order and returns them, with each file's segments.
func layout(base string, files []storage.Location) ([]string, [][]segment, error) {
	segs := make([][]segment, len(files))
	for i, in := range files {
		s, err := partitionDirs(base, in.Key)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", in.URL(), err)
		}
		segs[i] = s
		if i > 0 && !sameKeys(segs[0], s) {
			return nil, nil, fmt.Errorf("%w: %s has partition keys [%s] but %s has [%s]; every file must sit in the same key=value levels",
				ErrLayout, files[0].URL(), keyList(segs[0]), in.URL(), keyList(s))
		}
	}
	keys := make([]string, len(segs[0]))
	for i, s := range segs[0] {
		keys[i] = s.key
	}
	return keys, segs, nil
}

func sameKeys(a, b []segment) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(a[i].key, b[i].key) {
			return false
		}
	}
	return true
}

func keyList(s []segment) string {
	ks := make([]string, len(s))
	for i, x := range s {
		ks[i] = x.key
	}
	return strings.Join(ks, ", ")
}
