package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"sync"
	"time"
)

// ManifestName is the file a Drover commit writes, last, into an output
// directory: the exact list of files of the committed version. Readers
// that honour it (Expand) see one version at a time, never old and new
// files mixed while a commit publishes, and never files someone else put
// beside the output.
const ManifestName = "_drover_manifest.json"

// ManifestVersion is the format written; readers refuse newer ones.
const ManifestVersion = 1

// Manifest lists the files of one committed version of a directory.
type Manifest struct {
	Version   int            `json:"version"`
	Run       string         `json:"run"`
	Sink      string         `json:"sink,omitempty"`
	Committed time.Time      `json:"committed"`
	Files     []ManifestFile `json:"files"`

	once  sync.Once
	paths map[string]bool
}

// ManifestFile is one file of a committed version.
type ManifestFile struct {
	// Path is relative to the directory, slash-separated.
	Path string `json:"path"`
	Size int64  `json:"size"`
	// Adopted marks a file that was there before Drover's first commit
	// into the directory (an append keeps it visible); a later overwrite
	// never deletes it, since Drover did not write it.
	Adopted bool `json:"adopted,omitempty"`
}

// ErrBadManifest: a manifest that cannot be read as one. Reading such a
// directory fails rather than guessing which files belong to it.
var ErrBadManifest = errors.New("malformed Drover manifest")

// ReadManifest reads dir's manifest; (nil, nil) when it has none.
func ReadManifest(ctx context.Context, dir Location) (*Manifest, error) {
	loc := dir.Join(ManifestName)
	f, err := dir.Store.Open(ctx, loc.Key)
	if errors.Is(err, ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.NewSectionReader(f, 0, f.Size()))
	if err != nil {
		return nil, &PathError{Op: "read", URL: loc.URL(), Err: err}
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, &PathError{Op: "read", URL: loc.URL(), Err: fmt.Errorf("%w: %v", ErrBadManifest, err)}
	}
	if err := m.check(); err != nil {
		return nil, &PathError{Op: "read", URL: loc.URL(), Err: err}
	}
	return &m, nil
}

func (m *Manifest) check() error {
	if m.Version < 1 || m.Version > ManifestVersion {
		return fmt.Errorf("%w: version %d (this Drover reads up to %d)", ErrBadManifest, m.Version, ManifestVersion)
	}
	for _, f := range m.Files {
		if f.Path == "" || path.Clean(f.Path) != f.Path || strings.HasPrefix(f.Path, "../") || path.IsAbs(f.Path) {
			return fmt.Errorf("%w: file path %q", ErrBadManifest, f.Path)
		}
	}
	return nil
}

// WriteManifest writes m into dir; the store's atomic Close makes the new
// version visible in one step.
func WriteManifest(ctx context.Context, dir Location, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	loc := dir.Join(ManifestName)
	w, err := dir.Store.Create(ctx, loc.Key)
	if err != nil {
		return err
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		w.Abort()
		return err
	}
	return w.Close()
}

// Has reports whether the manifest names rel.
func (m *Manifest) Has(rel string) bool { return m.Paths()[rel] }

// Paths is the set of paths the manifest names (built once; a manifest
// is not changed after it was read or written).
func (m *Manifest) Paths() map[string]bool {
	m.once.Do(func() {
		m.paths = make(map[string]bool, len(m.Files))
		for _, f := range m.Files {
			m.paths[f.Path] = true
		}
	})
	return m.paths
}

// honourManifest keeps the listed objects below dir that its manifest
// names (hidden names included: a partition column may start with "_"),
// and fails if the manifest names a file that is not there. ok is false
// when dir has no manifest.
func honourManifest(ctx context.Context, dir Location, infos []Info) (kept []Info, ok bool, err error) {
	m, err := ReadManifest(ctx, dir)
	if err != nil || m == nil {
		return nil, false, err
	}
	prefix := dirPrefix(dir.Key)
	byRel := map[string]Info{}
	for _, in := range infos {
		byRel[strings.TrimPrefix(in.Key, prefix)] = in
	}
	for _, f := range m.Files {
		in, found := byRel[f.Path]
		if !found {
			return nil, true, &PathError{Op: "read", URL: dir.Join(f.Path).URL(),
				Err: fmt.Errorf("%w: named by %s (run %s) but missing", ErrNotExist, ManifestName, m.Run)}
		}
		kept = append(kept, in)
	}
	return kept, true, nil
}

// dirPrefix is the listing prefix of the objects below a directory key.
func dirPrefix(key string) string {
	key = strings.TrimSuffix(key, "/")
	if key == "" {
		return ""
	}
	return key + "/"
}
