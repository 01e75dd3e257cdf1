package local

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/drover-etl/drover/storage"
)

func init() {
	storage.Register("file", func(_ context.Context, root string) (storage.Store, error) {
		return New(root), nil
	})
}

// Store is a directory tree. Root "" means the working directory.
type Store struct{ root string }

var _ storage.Store = (*Store)(nil)

// New returns a Store rooted at dir.
func New(dir string) *Store { return &Store{root: dir} }

func (s *Store) path(key string) string {
	if s.root == "" {
		if key == "" {
			return "."
		}
		return filepath.FromSlash(key)
	}
	return filepath.Join(s.root, filepath.FromSlash(key))
}

// URL is the filesystem path of key.
func (s *Store) URL(key string) string { return s.path(key) }

func wrap(op, p string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		err = fmt.Errorf("%w", storage.ErrNotExist)
	case errors.Is(err, fs.ErrPermission):
		err = fmt.Errorf("%w", storage.ErrPermission)
	}
	return &storage.PathError{Op: op, URL: p, Err: err}
}

type file struct {
	*os.File
	size int64
}

func (f *file) Size() int64 { return f.size }

// Open opens key for reading.
func (s *Store) Open(_ context.Context, key string) (storage.File, error) {
	p := s.path(key)
	f, err := os.Open(p)
	if err != nil {
		return nil, wrap("open", p, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, wrap("stat", p, err)
	}
	if st.IsDir() {
		f.Close()
		return nil, wrap("open", p, fmt.Errorf("is a directory"))
	}
	return &file{File: f, size: st.Size()}, nil
}

type writer struct {
	*os.File
	final string
	done  bool
}

func (w *writer) Close() error {
	if w.done {
		return nil
	}
	w.done = true
	if err := w.File.Close(); err != nil {
		os.Remove(w.File.Name())
		return wrap("write", w.final, err)
	}
	if err := os.Rename(w.File.Name(), w.final); err != nil {
		os.Remove(w.File.Name())
		return wrap("write", w.final, err)
	}
	return nil
}

func (w *writer) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	w.File.Close()
	return os.Remove(w.File.Name())
}

// Create writes key through a hidden temporary file renamed on Close.
func (s *Store) Create(_ context.Context, key string) (storage.Writer, error) {
	p := s.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, wrap("create", p, err)
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-"+filepath.Base(p)+"-*")
	if err != nil {
		return nil, wrap("create", p, err)
	}
	return &writer{File: f, final: p}, nil
}

// Stat describes key; directories count as absent (they are not objects).
func (s *Store) Stat(_ context.Context, key string) (storage.Info, error) {
	p := s.path(key)
	st, err := os.Stat(p)
	if err != nil {
		return storage.Info{}, wrap("stat", p, err)
	}
	if st.IsDir() {
		return storage.Info{}, wrap("stat", p, storage.ErrNotExist)
	}
	return storage.Info{Key: key, Size: st.Size(), ModTime: st.ModTime()}, nil
}

// List walks the directory prefix names (or the files starting with it).
func (s *Store) List(_ context.Context, prefix string) ([]storage.Info, error) {
	dir := prefix
	if !strings.HasSuffix(prefix, "/") && prefix != "" {
		dir = filepath.ToSlash(filepath.Dir(prefix))
		if dir == "." {
			dir = ""
		}
	}
	base := s.path(dir)
	var out []storage.Info
	err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".tmp-") {
			return nil
		}
		rel, _ := filepath.Rel(base, p)
		key := storage.JoinKey(dir, filepath.ToSlash(rel))
		if !strings.HasPrefix(key, strings.TrimPrefix(prefix, "./")) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		out = append(out, storage.Info{Key: key, Size: info.Size(), ModTime: info.ModTime()})
		return nil
	})
	if err != nil {
		return nil, wrap("list", base, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// Delete removes key and any directories it leaves empty up to the root.
func (s *Store) Delete(_ context.Context, key string) error {
	p := s.path(key)
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return wrap("delete", p, err)
	}
	s.pruneEmpty(filepath.Dir(p))
	return nil
}

// Rename moves from to to, creating parent directories.
func (s *Store) Rename(_ context.Context, from, to string) error {
	src, dst := s.path(from), s.path(to)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return wrap("rename", dst, err)
	}
	if err := os.Rename(src, dst); err != nil {
		return wrap("rename", src, err)
	}
	s.pruneEmpty(filepath.Dir(src))
	return nil
}

// pruneEmpty removes empty directories from dir upwards, stopping at the
// root, so deleting a staging tree leaves no empty folders behind.
func (s *Store) pruneEmpty(dir string) {
	stop := s.path("")
	for dir != stop && dir != "." && dir != "/" && strings.HasPrefix(dir, strings.TrimSuffix(stop, ".")) {
		if os.Remove(dir) != nil {
			return
		}
		dir = filepath.Dir(dir)
	}
}

var (
	_ storage.ExclusiveCreator = (*Store)(nil)
	_ storage.DirPruner        = (*Store)(nil)
)

// CreateExclusive writes key with O_EXCL: ErrExist if it is there.
func (s *Store) CreateExclusive(_ context.Context, key string, data []byte) error {
	p := s.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return wrap("create", p, err)
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return wrap("create", p, storage.ErrExist)
	}
	if err != nil {
		return wrap("create", p, err)
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(p)
		return wrap("create", p, err)
	}
	return nil
}

// PruneDirs removes the empty directories at and below prefix, deepest
// first, and then prefix's parent if that is left empty, so a failed
// run's staging tree (_staging/<run>/...) leaves no folders behind.
func (s *Store) PruneDirs(_ context.Context, prefix string) error {
	base := s.path(strings.TrimSuffix(prefix, "/"))
	var dirs []string
	err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			dirs = append(dirs, p)
		}
		return nil
	})
	if err != nil {
		return wrap("prune", base, err)
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		os.Remove(dirs[i]) // fails, harmlessly, while a directory holds files
	}
	if parent := filepath.Dir(base); parent != s.path("") {
		os.Remove(parent)
	}
	return nil
}
