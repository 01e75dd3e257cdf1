package spill

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/storage"
)

// Place is where one process (an executor, drover run) spills: a local
// directory, or S3 when --temp-dir is an s3:// location or when the local
// directory is not writable and the task's run has an S3 shuffle
// directory. It is chosen once, at NewPlace; Dir hands each task its own.
type Place struct {
	local    string // the local directory ("": the OS temp dir)
	remote   string // an s3:// root given as --temp-dir ("": none)
	localErr error  // why the local directory cannot be used (the probe)
	log      io.Writer
	logOnce  sync.Once

	mu     sync.Mutex
	stores map[string]storage.Location // by root
}

// Task identifies one task attempt's spill files.
type Task struct {
	Run      string // the run ID
	Executor string // the executor's name
	ID       string // the attempt, e.g. "2.5.0"
	// ShuffleDir is the run's shuffle directory (<root>/<run>): where an
	// executor whose local directory is not writable spills, when on S3.
	ShuffleDir string
}

// NewPlace sets up spilling to tempDir: a local directory ("": the OS temp
// dir), probed once by writing a file there, or s3://bucket/prefix. The
// first fallback to S3 is reported on log (nil: not reported).
func NewPlace(tempDir string, log io.Writer) (*Place, error) {
	p := &Place{log: log, stores: map[string]storage.Location{}}
	if isRemote(tempDir) {
		p.remote = strings.TrimSuffix(tempDir, "/")
		if _, err := p.location(p.remote); err != nil {
			return nil, fmt.Errorf("--temp-dir: %w", err)
		}
		return p, nil
	}
	p.local = strings.TrimPrefix(tempDir, "file://")
	p.localErr = probe(p.local)
	return p, nil
}

// isRemote reports whether dir names an object store location.
func isRemote(dir string) bool {
	scheme, _, _ := storage.SplitScheme(dir)
	return scheme != "file"
}

// probe checks that dir takes a file.
func probe(dir string) error {
	f, err := os.CreateTemp(dir, "drover-probe-*")
	if err != nil {
		return err
	}
	_, err = f.Write([]byte{0})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	os.Remove(f.Name())
	return err
}

// String names the configured place for messages.
func (p *Place) String() string {
	if p.remote != "" {
		return p.remote
	}
	return localDir{dir: p.local}.String()
}

// Dir is the place for one task's spill files; ctx bounds their uploads
// and reads.
func (p *Place) Dir(ctx context.Context, t Task) Dir {
	switch {
	case p.remote != "":
		return p.remoteDir(ctx, p.remote, storage.JoinKey(t.Run, "spill", t.Executor, t.ID))
	case p.localErr == nil:
		return localDir{dir: p.local}
	case isRemote(t.ShuffleDir):
		d := p.remoteDir(ctx, t.ShuffleDir, storage.JoinKey("spill", t.Executor, t.ID))
		p.logOnce.Do(func() {
			if p.log != nil {
				fmt.Fprintf(p.log, "drover: temp dir %s is not writable (%v); spilling to %s instead\n",
					p.String(), p.localErr, strings.TrimSuffix(t.ShuffleDir, "/")+"/spill/")
			}
		})
		return d
	}
	// Tried anyway at the first spill (the directory may have been fixed),
	// whose error then says what to do.
	return localDir{dir: p.local, hint: fmt.Sprintf(
		" (temp dir %s was not writable at start either, and the run has no S3 shuffle directory to spill to instead: give --temp-dir a writable directory or an s3://bucket/prefix)",
		p.String())}
}

func (p *Place) remoteDir(ctx context.Context, root, sub string) Dir {
	loc, err := p.location(root)
	if err != nil {
		return errDir{err: fmt.Errorf("spill to %s: %w", root, err)}
	}
	return Remote(ctx, loc.Join(sub))
}

// location resolves an object store root through a store of its own when
// the store allows (S3): parts of S3's minimum size, one in flight, so an
// open spill file holds at most 10 MiB (a partitioned spill keeps dozens
// open).
func (p *Place) location(root string) (storage.Location, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if loc, ok := p.stores[root]; ok {
		return loc, nil
	}
	loc, err := storage.Resolve(context.Background(), root)
	if err != nil {
		return storage.Location{}, err
	}
	if t, ok := loc.Store.(storage.UploadTuner); ok {
		if loc.Store, err = t.WithUploads(PartSize, 1); err != nil {
			return storage.Location{}, err
		}
	}
	p.stores[root] = loc
	return loc, nil
}

// PartSize is the multipart part size of S3 spill files: S3's minimum.
const PartSize = 5 << 20

// errDir fails every Create with err.
type errDir struct{ err error }

func (d errDir) String() string { return "nowhere" }

func (d errDir) Create(string, *memory.Pool) (Writer, error) { return nil, d.err }

// LocalDir is the local directory for other temporary files (plugin
// caches): the configured one, or "" (the OS temp dir) when spilling goes
// to S3.
func (p *Place) LocalDir() string { return p.local }
