package textfile

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/compress"
	"github.com/drover-etl/drover/format/csv/textcol"
	"github.com/drover-etl/drover/storage"
)

// File is one open split of a text file.
type File struct {
	url   string
	f     storage.File
	dec   io.Closer
	r     io.Reader
	split format.Split
	// limit: lines starting at or after this position of r belong to the
	// next split (-1: none do).
	limit       int64
	partial     bool  // r starts inside a line to be dropped
	linesBefore int64 // lines before r's start; -1 until counted
}

// Open opens split; compression is the source's option (auto: by name).
func Open(ctx context.Context, split format.Split, compression string) (*File, error) {
	codec, err := compress.ForFile(split.URL, compression)
	if err != nil {
		return nil, err
	}
	if codec != compress.None && (split.Offset != 0 || split.Length != 0) {
		return nil, fmt.Errorf("%s: a %s file cannot be read from byte %d", split.URL, codec, split.Offset)
	}
	loc, err := storage.Resolve(ctx, split.URL)
	if err != nil {
		return nil, err
	}
	f, err := loc.Store.Open(ctx, loc.Key)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", split.URL, err)
	}
	if ranged := split.Offset != 0 || split.Length != 0; ranged && f.Size() != split.Size {
		f.Close()
		return nil, fmt.Errorf("%s: %w (%d bytes, planned for %d)", split.URL, ErrChanged, f.Size(), split.Size)
	}
	tf := &File{url: split.URL, f: f, split: split, limit: -1}
	tf.r = tf.section()
	if codec != compress.None {
		d, err := compress.NewReader(codec, tf.r)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", split.URL, err)
		}
		tf.r, tf.dec = d, d
	}
	return tf, nil
}

// section is the raw byte range to read (see File.limit).
func (tf *File) section() io.Reader {
	s, size := tf.split, tf.f.Size()
	end := size
	if s.Length > 0 {
		end = min(size, s.Offset+s.Length)
	}
	switch {
	case s.Aligned:
		tf.linesBefore = s.LinesBefore
		return io.NewSectionReader(tf.f, s.Offset, end-s.Offset)
	case s.Offset == 0:
		if s.Length > 0 {
			tf.limit = end
		}
		return io.NewSectionReader(tf.f, 0, size)
	}
	// Start one byte early: if that byte ends a line, the line at Offset
	// is ours; either way the first (partial) line is dropped.
	tf.partial, tf.linesBefore = true, -1
	if s.Length > 0 {
		tf.limit = end - (s.Offset - 1)
	}
	return io.NewSectionReader(tf.f, s.Offset-1, size-(s.Offset-1))
}

// Reader is the decompressed bytes of the split.
func (tf *File) Reader() io.Reader { return tf.r }

// Lines is a line reader over the split, numbering lines truly when the
// split says how many lines precede it (else from its start; see Line).
func (tf *File) Lines() (*textcol.LineReader, error) {
	if !tf.partial {
		return textcol.NewLineReaderAfter(tf.r, max(tf.linesBefore, 0)), nil
	}
	lr := textcol.NewLineReader(tf.r)
	lr.NoBOM()
	if _, err := lr.Next(); err != nil && err != io.EOF {
		return nil, fmt.Errorf("read %s: %w", tf.url, err)
	}
	return lr, nil
}

// Owns reports whether a line that starts after consumed bytes of the
// reader belongs to this split.
func (tf *File) Owns(consumed int64) bool { return tf.limit < 0 || consumed < tf.limit }

// Line turns a line number of Lines into the file's line number, counting
// the newlines before the split on first use (only error paths need it).
func (tf *File) Line(ctx context.Context, rel int64) (int64, error) {
	if !tf.partial {
		return rel, nil
	}
	if tf.linesBefore < 0 {
		n, err := CountLines(ctx, tf.f, tf.split.Offset-1)
		if err != nil {
			return 0, fmt.Errorf("count lines of %s: %w", tf.url, err)
		}
		tf.linesBefore = n
	}
	// Lines numbered the dropped partial line 1; the newline ending it is
	// the one the count before Offset-1 left out.
	return tf.linesBefore + rel, nil
}

// Close closes the decompressor and the file; safe to call twice.
func (tf *File) Close() error {
	if tf.dec != nil {
		tf.dec.Close()
		tf.dec = nil
	}
	if tf.f == nil {
		return nil
	}
	err := tf.f.Close()
	tf.f = nil
	return err
}

// chunkBytes is the read size of the scans over a file.
const chunkBytes = 4 << 20

// CountLines counts the newlines in the first end bytes of f.
func CountLines(ctx context.Context, f io.ReaderAt, end int64) (int64, error) {
	buf := make([]byte, min(end, chunkBytes))
	var n int64
	for off := int64(0); off < end; {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		k, err := f.ReadAt(buf[:min(int64(len(buf)), end-off)], off)
		n += int64(bytes.Count(buf[:k], []byte{'\n'}))
		off += int64(k)
		if err != nil && !(err == io.EOF && off >= end) {
			return 0, err
		}
	}
	return n, nil
}
