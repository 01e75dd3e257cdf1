package udfhost

import (
	"bytes"
	"io"
	"strings"
	"sync"
)

// tailLines is how much of a plugin's stderr an error quotes; headLines
// is how much of a panic's start it keeps (the message and the top
// frames), since the rest of the stack scrolls it out of the tail.
const (
	tailLines = 12
	headLines = 8
)

// tail keeps the last lines a plugin process wrote to stderr: a crash
// error quotes them, since they usually say why (a log line before
// os.Exit, a panic).
type tail struct {
	mu    sync.Mutex
	lines []string // the last max lines
	max   int
	n     int      // lines seen
	head  []string // a panic's first lines
	headN int      // the number of the head's first line
}

func newTail(max int) *tail { return &tail{max: max} }

func (t *tail) add(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case strings.HasPrefix(line, "panic: ") || strings.HasPrefix(line, "fatal error: "):
		t.head, t.headN = []string{line}, t.n
	case len(t.head) > 0 && len(t.head) < headLines && t.headN+len(t.head) == t.n:
		t.head = append(t.head, line)
	}
	t.n++
	if len(t.lines) == t.max {
		copy(t.lines, t.lines[1:])
		t.lines = t.lines[:t.max-1]
	}
	t.lines = append(t.lines, line)
}

// quote renders the lines for an error message.
func (t *tail) quote() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.lines) == 0 {
		return "; it wrote nothing to stderr"
	}
	first := t.n - len(t.lines) // the number of lines[0]
	var out []string
	if len(t.head) > 0 && t.headN < first {
		out = append(out, t.head[:min(len(t.head), first-t.headN)]...)
		if t.headN+len(t.head) < first {
			out = append(out, "...")
		}
	}
	out = append(out, t.lines...)
	return "; its last stderr lines:\n\t| " + strings.Join(out, "\n\t| ")
}

// lineWriter calls emit once per complete line written to it (go-plugin
// writes a line and its newline in two calls).
type lineWriter struct {
	mu   sync.Mutex
	buf  []byte
	emit func(string)
}

var _ io.Writer = (*lineWriter)(nil)

func newLineWriter(emit func(string)) *lineWriter { return &lineWriter{emit: emit} }

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		w.emit(strings.TrimRight(string(w.buf[:i]), "\r"))
		w.buf = w.buf[i+1:]
	}
}

// logOutput is where go-plugin's own warnings go.
func logOutput(s *syncWriter) io.Writer {
	if s.w == nil {
		return io.Discard
	}
	return writerFunc(func(p []byte) (int, error) {
		s.printf("%s", p)
		return len(p), nil
	})
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
