package csvfmt

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// field locates one unescaped field of the current record in parser.buf.
type field struct {
	start, end int
	quoted     bool
}

// parser splits RFC 4180 text into records. Unlike encoding/csv it tells a
// quoted empty field from an unquoted one, counts physical lines so errors
// point at the line where a record starts, and hands out fields as byte
// slices of one reused buffer, so a record costs no allocation.
type parser struct {
	r        *bufio.Reader
	delim    byte
	quote    byte
	line     int64 // physical lines consumed
	consumed int64 // bytes consumed
	buf      []byte
	fields   []field
	long     []byte // holds a line longer than the bufio buffer
}

// errors of malformed records; the reader wraps them in a DataError.
var (
	errUnterminated = errors.New("quoted field is not terminated")
	errAfterQuote   = errors.New("unexpected character after closing quote")
)

func newParser(r io.Reader, delim, quote byte) *parser {
	return &parser{r: bufio.NewReaderSize(r, 1<<20), delim: delim, quote: quote}
}

// field returns the bytes of field i of the current record.
func (p *parser) field(i int) []byte { f := p.fields[i]; return p.buf[f.start:f.end] }

// skipLines drops n physical lines (the skip_rows option).
func (p *parser) skipLines(n int) error {
	for ; n > 0; n-- {
		if _, err := p.readLine(); err != nil {
			return err
		}
	}
	return nil
}

// next parses the next non-blank record and returns the 1-based line it
// starts on. It returns io.EOF after the last record.
func (p *parser) next() (int64, error) {
	for {
		line, err := p.readLine()
		if err != nil {
			return p.line + 1, err
		}
		if p.line == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		if isBlank(line) {
			continue
		}
		start := p.line
		p.buf, p.fields = p.buf[:0], p.fields[:0]
		return start, p.record(line)
	}
}

func isBlank(line []byte) bool {
	return len(line) == 0 || line[0] == '\n' || (line[0] == '\r' && (len(line) == 1 || line[1] == '\n'))
}

// readLine returns the next line including its '\n' (absent at the end of
// the input). The slice is valid until the next call.
func (p *parser) readLine() ([]byte, error) {
	line, err := p.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		p.long = append(p.long[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = p.r.ReadSlice('\n')
			p.long = append(p.long, line...)
		}
		line = p.long
	}
	if err == io.EOF && len(line) > 0 {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	p.line++
	p.consumed += int64(len(line))
	return line, nil
}

// record splits one record starting on line, reading further lines while
// a quoted field spans them.
func (p *parser) record(line []byte) error {
	pos := 0
	for {
		var err error
		if p.quote != 0 && pos < len(line) && line[pos] == p.quote {
			line, pos, err = p.quotedField(line, pos+1)
			if err != nil {
				return err
			}
		} else {
			pos = p.plainField(line, pos)
		}
		if pos < len(line) && line[pos] == p.delim {
			pos++
			continue
		}
		return nil
	}
}

// plainField takes an unquoted field up to the next delimiter or the end
// of the line and returns the position after it.
func (p *parser) plainField(line []byte, pos int) int {
	end := bytes.IndexByte(line[pos:], p.delim)
	if end < 0 {
		end = len(line) - eolLen(line)
	} else {
		end += pos
	}
	start := len(p.buf)
	p.buf = append(p.buf, line[pos:end]...)
	p.fields = append(p.fields, field{start: start, end: len(p.buf)})
	return end
}

// eolLen is the length of the line terminator ("\n", "\r\n" or none).
func eolLen(line []byte) int {
	n := len(line)
	switch {
	case n >= 2 && line[n-2] == '\r' && line[n-1] == '\n':
		return 2
	case n >= 1 && line[n-1] == '\n':
		return 1
	}
	return 0
}

// quotedField reads a field whose opening quote precedes pos. Doubled
// quotes stand for one; newlines inside are kept and counted.
func (p *parser) quotedField(line []byte, pos int) ([]byte, int, error) {
	start := len(p.buf)
	for {
		i := bytes.IndexByte(line[pos:], p.quote)
		if i < 0 {
			p.buf = append(p.buf, line[pos:]...)
			next, err := p.readLine()
			if err == io.EOF {
				return nil, 0, errUnterminated
			}
			if err != nil {
				return nil, 0, err
			}
			line, pos = next, 0
			continue
		}
		p.buf = append(p.buf, line[pos:pos+i]...)
		pos += i + 1
		if pos < len(line) && line[pos] == p.quote {
			p.buf = append(p.buf, p.quote)
			pos++
			continue
		}
		break
	}
	p.fields = append(p.fields, field{start: start, end: len(p.buf), quoted: true})
	if pos < len(line) && line[pos] != p.delim && len(line)-pos != eolLen(line) {
		return nil, 0, fmt.Errorf("%w %q", errAfterQuote, line[pos])
	}
	return line, pos, nil
}
