package udfhost

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/drover-etl/drover/storage"
)

// Shipping plugins to executors in cluster mode. The driver stages each
// binary in the object store under its sha256 (content-addressed: the same
// binary is uploaded once, whatever job or run needs it); executors fetch
// it, verify the digest before anything can execute it, and cache it by
// digest.
//
//	driver:   specs, err := udfhost.StageAll(ctx, dest, host.Specs())  // dest: s3://bucket/drover/plugins
//	executor: host, err := udfhost.Start(ctx, cfg, specs)               // Fetch + verify + start

// Stage uploads binary to dest/sha256/<hex> unless an object of that name
// exists (it then holds the same bytes), and returns the object's URL and
// the hex digest.
func Stage(ctx context.Context, dest storage.Location, binary string) (url, sum string, err error) {
	sum, err = fileSHA256(binary)
	if err != nil {
		return "", "", err
	}
	loc := dest.Join("sha256", sum)
	if _, err := loc.Store.Stat(ctx, loc.Key); err == nil {
		return loc.URL(), sum, nil
	} else if !errors.Is(err, storage.ErrNotExist) {
		return "", "", fmt.Errorf("stage plugin %s: %w", binary, err)
	}
	if err := upload(ctx, loc, binary); err != nil {
		return "", "", fmt.Errorf("stage plugin %s: %w", binary, err)
	}
	return loc.URL(), sum, nil
}

func upload(ctx context.Context, loc storage.Location, binary string) error {
	f, err := os.Open(binary)
	if err != nil {
		return err
	}
	defer f.Close()
	w, err := loc.Store.Create(ctx, loc.Key)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, f); err != nil {
		w.Abort()
		return err
	}
	return w.Close()
}

// StageAll stages every spec with a local source and returns the specs
// executors need: URLs and digests.
func StageAll(ctx context.Context, dest storage.Location, specs []Spec) ([]Spec, error) {
	out := make([]Spec, len(specs))
	for i, s := range specs {
		out[i] = s
		if isURL(s.Source) {
			continue
		}
		url, sum, err := Stage(ctx, dest, s.Source)
		if err != nil {
			return nil, fmt.Errorf("plugin %q: %w", s.Name, err)
		}
		if s.SHA256 != "" && !strings.EqualFold(s.SHA256, sum) {
			return nil, fmt.Errorf("%w: plugin %q: %s has sha256 %s, the job says %s", ErrChecksum, s.Name, s.Source, sum, s.SHA256)
		}
		out[i].Source, out[i].SHA256 = url, sum
	}
	return out, nil
}

// Fetch makes the binary at url available in dir, named by its digest,
// and returns its path. sum (hex) is checked before the file becomes
// executable; a copy already in dir is checked again, not trusted. The
// sum is required: a remote binary is never trusted on first use.
func Fetch(ctx context.Context, url, sum, dir string) (string, error) {
	sum = strings.ToLower(sum)
	if sum == "" {
		return "", fmt.Errorf("%w: %s", ErrNoChecksum, url)
	}
	path := filepath.Join(dir, sum)
	if got, err := fileSHA256(path); err == nil && got == sum {
		return path, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	tmp, got, err := download(ctx, url, dir)
	if err != nil {
		return "", fmt.Errorf("fetch plugin %s: %w", url, err)
	}
	if got != sum {
		os.Remove(tmp)
		return "", fmt.Errorf("%w: %s has sha256 %s, want %s", ErrChecksum, url, got, sum)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.Remove(tmp)
		return "", err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return "", err
	}
	return path, nil
}

// download copies url into a temporary file in dir, hashing as it goes.
func download(ctx context.Context, url, dir string) (tmp, sum string, err error) {
	loc, err := storage.Resolve(ctx, url)
	if err != nil {
		return "", "", err
	}
	src, err := loc.Store.Open(ctx, loc.Key)
	if err != nil {
		return "", "", err
	}
	defer src.Close()
	f, err := os.CreateTemp(dir, ".fetch-*")
	if err != nil {
		return "", "", err
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(f, h), io.NewSectionReader(src, 0, src.Size()))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", "", err
	}
	return f.Name(), hex.EncodeToString(h.Sum(nil)), nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// isURL: a source with a scheme other than file:// lives in an object store.
func isURL(source string) bool {
	scheme, _, _ := storage.SplitScheme(source)
	return scheme != "file"
}

// binary finds a spec's executable: a local path checked against its
// digest, or a URL fetched into the cache directory.
func (h *Host) binary(ctx context.Context, s Spec) (path string, sum []byte, err error) {
	hexSum := strings.ToLower(s.SHA256)
	if isURL(s.Source) {
		if path, err = Fetch(ctx, s.Source, hexSum, h.cacheDir()); err != nil {
			return "", nil, err
		}
		hexSum = filepath.Base(path)
	} else {
		path = strings.TrimPrefix(s.Source, "file://")
		got, err := fileSHA256(path)
		if err != nil {
			return "", nil, fmt.Errorf("binary: %w (build it first, e.g. make build)", err)
		}
		if hexSum != "" && got != hexSum {
			return "", nil, fmt.Errorf("%w: %s has sha256 %s, the job says %s", ErrChecksum, path, got, hexSum)
		}
		hexSum = got
	}
	sum, err = hex.DecodeString(hexSum)
	return path, sum, err
}

func (h *Host) cacheDir() string {
	if h.cfg.CacheDir != "" {
		return h.cfg.CacheDir
	}
	return filepath.Join(os.TempDir(), "drover-plugins")
}
