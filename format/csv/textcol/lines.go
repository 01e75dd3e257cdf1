package textcol

import (
	"bufio"
	"io"
)

// LineReader hands out the physical lines of a text file and counts them,
// so errors can name the line a record starts on.
type LineReader struct {
	r        *bufio.Reader
	line     int64
	consumed int64
	long     []byte // holds a line longer than the bufio buffer
	bomLine  int64  // the line that may start with a byte order mark (0: none)
}

// NewLineReader reads r through a 1 MiB buffer (less for a smaller
// section of a file).
func NewLineReader(r io.Reader) *LineReader {
	size := 1 << 20
	if sr, ok := r.(*io.SectionReader); ok {
		size = int(min(int64(size), max(sr.Size(), 16)))
	}
	return &LineReader{r: bufio.NewReaderSize(r, size), bomLine: 1}
}

// NewLineReaderAfter reads r, which starts after linesBefore lines of its
// file: line numbers continue from there, and only a file's first line
// may start with a byte order mark.
func NewLineReaderAfter(r io.Reader, linesBefore int64) *LineReader {
	lr := NewLineReader(r)
	lr.line = linesBefore
	if linesBefore > 0 {
		lr.bomLine = 0
	}
	return lr
}

// NoBOM keeps a byte order mark: r does not start at the file's start.
func (lr *LineReader) NoBOM() { lr.bomLine = 0 }

// Next returns the next line including its '\n' (absent on a last line
// without one), or io.EOF. The slice is valid until the next call.
func (lr *LineReader) Next() ([]byte, error) {
	line, err := lr.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		lr.long = append(lr.long[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = lr.r.ReadSlice('\n')
			lr.long = append(lr.long, line...)
		}
		line = lr.long
	}
	if err == io.EOF && len(line) > 0 {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	lr.line++
	lr.consumed += int64(len(line))
	if lr.line == lr.bomLine && len(line) >= 3 && line[0] == 0xef && line[1] == 0xbb && line[2] == 0xbf {
		line = line[3:] // UTF-8 byte order mark
	}
	return line, nil
}

// Line is the 1-based number of the line Next returned last.
func (lr *LineReader) Line() int64 { return lr.line }

// Consumed is the number of bytes read so far.
func (lr *LineReader) Consumed() int64 { return lr.consumed }

// TrimEOL drops a trailing "\n" or "\r\n".
func TrimEOL(line []byte) []byte {
	n := len(line)
	if n > 0 && line[n-1] == '\n' {
		n--
		if n > 0 && line[n-1] == '\r' {
			n--
		}
	}
	return line[:n]
}
