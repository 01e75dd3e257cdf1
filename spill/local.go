package spill

import (
	"fmt"
	"io"
	"os"

	"github.com/drover-etl/drover/memory"
)

// Local is a Dir of plain files in a local directory ("": the OS temp
// directory). A file is written and read through one open handle, as the
// operators did before spilling had other homes.
func Local(dir string) Dir { return localDir{dir: dir} }

type localDir struct {
	dir  string
	hint string // appended to a failed Create's error (Place's advice)
}

func (d localDir) String() string {
	if d.dir == "" {
		return os.TempDir()
	}
	return d.dir
}

func (d localDir) Create(what string, _ *memory.Pool) (Writer, error) {
	f, err := os.CreateTemp(d.dir, "drover-"+what+"-*.arrow")
	if err != nil {
		return nil, fmt.Errorf("spill file in %s: %w%s", d.String(), err, d.hint)
	}
	return &localFile{f: f}, nil
}

// localFile is both the Writer and, once finished, the File.
type localFile struct {
	f        *os.File
	size     int64
	finished bool
	gone     bool
}

var (
	_ Writer = (*localFile)(nil)
	_ File   = (*localFile)(nil)
)

func (l *localFile) Name() string { return l.f.Name() }
func (l *localFile) Size() int64  { return l.size }

func (l *localFile) Write(p []byte) (int, error) {
	n, err := l.f.Write(p)
	l.size += int64(n)
	return n, err
}

func (l *localFile) Finish() (File, error) {
	l.finished = true
	return l, nil
}

func (l *localFile) Abort() {
	if !l.finished {
		l.Remove()
	}
}

func (l *localFile) Section(off, n int64) io.Reader { return io.NewSectionReader(l.f, off, n) }

func (l *localFile) Remove() error {
	if l.gone {
		return nil
	}
	l.gone = true
	l.f.Close()
	return os.Remove(l.f.Name())
}
