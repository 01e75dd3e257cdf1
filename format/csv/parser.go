package csvfmt

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/drover-etl/drover/format/csv/textcol"
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
	lines  *textcol.LineReader
	delim  byte
	quote  byte
	buf    []byte
	fields []field
}

// errors of malformed records; the reader wraps them in a DataError.
var (
	errUnterminated = errors.New("quoted field is not terminated")
	errAfterQuote   = errors.New("unexpected character after closing quote")
)

func newParser(lines *textcol.LineReader, delim, quote byte) *parser {
	return &parser{lines: lines, delim: delim, quote: quote}
}

// consumed is the number of bytes read so far.
func (p *parser) consumed() int64 { return p.lines.Consumed() }

// field returns the bytes of field i of the current record.
func (p *parser) field(i int) []byte { f := p.fields[i]; return p.buf[f.start:f.end] }

// skipLines drops n physical lines (the skip_rows option).
func (p *parser) skipLines(n int) error {
	for ; n > 0; n-- {
		if _, err := p.lines.Next(); err != nil {
			return err
		}
	}
	return nil
}

// next parses the next non-blank record and returns the 1-based line it
// starts on. It returns io.EOF after the last record.
func (p *parser) next() (int64, error) {
	for {
		line, err := p.lines.Next()
		if err != nil {
			return p.lines.Line() + 1, err
		}
		if len(textcol.TrimEOL(line)) == 0 {
			continue
		}
		start := p.lines.Line()
		p.buf, p.fields = p.buf[:0], p.fields[:0]
		return start, p.record(line)
	}
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
			next, err := p.lines.Next()
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
