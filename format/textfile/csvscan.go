package textfile

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/storage"
)

// Dialect is what the CSV boundary scan must know of a source's options.
type Dialect struct {
	Delim, Quote byte // Quote 0: quoting off
	SkipRows     int  // physical lines before the header
	Header       bool
}

// SplitCSV cuts a CSV file into ranges of about target bytes that start
// at records, scanning it once (see the package comment).
func SplitCSV(ctx context.Context, file storage.Location, size, target int64, d Dialect, compression string) ([]format.Split, error) {
	ok, err := splittable(file, size, target, compression)
	if err != nil || !ok {
		return whole(file, size), err
	}
	f, err := file.Store.Open(ctx, file.Key)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", file.URL(), err)
	}
	defer f.Close()
	cuts, err := scanCSV(ctx, f, size, target, d)
	if err != nil {
		return nil, fmt.Errorf("scan %s for record boundaries: %w", file.URL(), err)
	}
	out := make([]format.Split, 0, len(cuts)+1)
	prev := cut{}
	for _, c := range append(cuts, cut{off: size}) {
		out = append(out, format.Split{URL: file.URL(), Size: size, Offset: prev.off, Length: c.off - prev.off,
			Aligned: true, LinesBefore: prev.lines})
		prev = c
	}
	return out, nil
}

// cut is a record boundary: its offset and the newlines before it.
type cut struct{ off, lines int64 }

func scanCSV(ctx context.Context, f io.ReaderAt, size, target int64, d Dialect) ([]cut, error) {
	return scanChunks(ctx, f, size, target, d, chunkBytes)
}

// scanChunks runs the scan over chunks of chunk bytes, read ahead.
func scanChunks(ctx context.Context, f io.ReaderAt, size, target int64, d Dialect, chunk int64) ([]cut, error) {
	s := newCSVScan(d, size, target)
	start, err := s.skipBOM(f, size)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pf := prefetch(ctx, f, start, size, chunk, readAhead)
	for ch := range pf.order {
		r := <-ch
		if r.err != nil {
			return nil, r.err
		}
		s.feed(r.buf, r.off)
		pf.done(r.buf)
		if s.st == stBad {
			break
		}
	}
	if err := ctx.Err(); err != nil && s.st != stBad {
		return nil, err
	}
	return s.cuts, nil
}

// skipBOM returns where the scan starts: after a byte order mark on line
// 1, which the parser drops, unless skip_rows skips that line anyway.
func (s *csvScan) skipBOM(f io.ReaderAt, size int64) (int64, error) {
	if s.skip > 0 || size < 3 {
		return 0, nil
	}
	var b [3]byte
	if _, err := f.ReadAt(b[:], 0); err != nil && err != io.EOF {
		return 0, err
	}
	if b == [3]byte{0xef, 0xbb, 0xbf} {
		return 3, nil
	}
	return 0, nil
}

// scanState is where the scan stands, in the CSV parser's terms.
type scanState uint8

const (
	stSkip        scanState = iota // skipping skip_rows lines
	stUnquoted                     // in a record (or between), outside quotes
	stQuoted                       // inside a quoted field
	stQuoteSeen                    // a quote inside a quoted field: closing or doubled
	stQuoteSeenCR                  // a closing quote, then '\r'
	stBad                          // a malformed field: no more cuts
)

// csvScan is a state machine that mirrors the CSV parser: a quote opens
// a quoted field only at a field's start; a record ends at a newline
// outside quotes. Its state carries across chunks.
type csvScan struct {
	d          Dialect
	st         scanState
	atField    bool // unquoted: at the start of a field
	content    bool // the current line has record content (not blank)
	needRecord bool // header: no cut until the first record ended
	skip       int
	lines      int64
	size, next int64 // file size; the earliest offset of the next cut
	target     int64
	cuts       []cut
}

func newCSVScan(d Dialect, size, target int64) *csvScan {
	s := &csvScan{d: d, st: stUnquoted, atField: true, needRecord: d.Header, skip: d.SkipRows,
		size: size, next: target, target: target}
	if s.skip > 0 {
		s.st = stSkip
	}
	return s
}

// feed advances over chunk b, which starts at file offset base.
func (s *csvScan) feed(b []byte, base int64) {
	for i := 0; i < len(b) && s.st != stBad; {
		switch s.st {
		case stSkip:
			i = s.skipLine(b, i)
		case stUnquoted:
			i = s.unquoted(b, i, base)
		case stQuoted:
			i = s.quoted(b, i)
		case stQuoteSeen, stQuoteSeenCR:
			i = s.afterQuote(b, i, base)
		}
	}
}

func (s *csvScan) skipLine(b []byte, i int) int {
	j := bytes.IndexByte(b[i:], '\n')
	if j < 0 {
		return len(b)
	}
	s.lines++
	if s.skip--; s.skip == 0 {
		s.st = stUnquoted
	}
	return i + j + 1
}

// unquoted passes over one line's worth of unquoted text: up to a quote
// that opens a field, or the end of the line, or of the chunk.
func (s *csvScan) unquoted(b []byte, i int, base int64) int {
	seg := b[i:]
	nl := bytes.IndexByte(seg, '\n')
	if nl >= 0 {
		seg = seg[:nl]
	}
	if q := s.openingQuote(seg); q >= 0 {
		s.content = true
		s.st = stQuoted
		return i + q + 1
	}
	if len(bytes.Trim(seg, "\r")) > 0 {
		s.content = true // '\r' alone is not counted: a blank "\r\n" line
	}
	if nl < 0 {
		if len(seg) > 0 {
			s.atField = seg[len(seg)-1] == s.d.Delim
		}
		return len(b)
	}
	s.newline(base + int64(i+nl+1))
	return i + nl + 1
}

// openingQuote is the index of the first quote in seg that starts a
// field, or -1.
func (s *csvScan) openingQuote(seg []byte) int {
	if s.d.Quote == 0 {
		return -1
	}
	for k := 0; k < len(seg); {
		j := bytes.IndexByte(seg[k:], s.d.Quote)
		if j < 0 {
			return -1
		}
		k += j
		if (k == 0 && s.atField) || (k > 0 && seg[k-1] == s.d.Delim) {
			return k
		}
		k++
	}
	return -1
}

func (s *csvScan) quoted(b []byte, i int) int {
	j := bytes.IndexByte(b[i:], s.d.Quote)
	if j < 0 {
		s.lines += int64(bytes.Count(b[i:], []byte{'\n'}))
		return len(b)
	}
	s.lines += int64(bytes.Count(b[i:i+j], []byte{'\n'}))
	s.st = stQuoteSeen
	return i + j + 1
}

// afterQuote takes the byte after a quote inside a quoted field: another
// quote (an escaped one), or what may follow a closing quote.
func (s *csvScan) afterQuote(b []byte, i int, base int64) int {
	c := b[i]
	switch {
	case s.st == stQuoteSeenCR && c == '\n', s.st == stQuoteSeen && c == '\n':
		s.newline(base + int64(i+1))
	case s.st == stQuoteSeenCR:
		s.st = stBad
	case c == s.d.Quote:
		s.st = stQuoted
	case c == s.d.Delim:
		s.st, s.atField = stUnquoted, true
	case c == '\r':
		s.st = stQuoteSeenCR
	default:
		s.st = stBad
	}
	return i + 1
}

// newline ends a line outside quotes; off is where the next line starts,
// a record boundary.
func (s *csvScan) newline(off int64) {
	s.lines++
	if s.content {
		s.needRecord = false
	}
	s.st, s.atField, s.content = stUnquoted, true, false
	if !s.needRecord && off >= s.next && s.size-off > slop(s.target) {
		s.cuts = append(s.cuts, cut{off: off, lines: s.lines})
		s.next = off + s.target
	}
}
