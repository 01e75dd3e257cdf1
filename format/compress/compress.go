package compress

import (
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/drover-etl/drover/format"
)

// Codec is a whole-file compression.
type Codec uint8

const (
	// None is uncompressed text.
	None Codec = iota
	// Gzip is gzip (RFC 1952), several members allowed.
	Gzip
	// Zstd is Zstandard, several frames allowed.
	Zstd
)

var names = [...]string{"none", "gzip", "zstd"}
var extensions = [...]string{"", "gz", "zst"}

func (c Codec) String() string { return names[c] }

// Extension is the file suffix written for c, without the dot ("" for None).
func (c Codec) Extension() string { return extensions[c] }

// Option is the option key that declares a compression.
const Option = "compression"

// Parse reads a declared compression: "" and "auto" detect from the file
// name (auto is true), "none", "gzip"/"gz", "zstd"/"zst".
func Parse(v string) (c Codec, auto bool, err error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "auto":
		return None, true, nil
	case "none", "uncompressed":
		return None, false, nil
	case "gzip", "gz":
		return Gzip, false, nil
	case "zstd", "zst", "zstandard":
		return Zstd, false, nil
	}
	return None, false, fmt.Errorf("%w %q (want auto, none, gzip or zstd)", ErrUnknown, v)
}

// FromName detects a compression from a file name's extension.
func FromName(name string) Codec {
	n := strings.ToLower(name)
	switch {
	case strings.HasSuffix(n, ".gz"), strings.HasSuffix(n, ".gzip"):
		return Gzip
	case strings.HasSuffix(n, ".zst"), strings.HasSuffix(n, ".zstd"):
		return Zstd
	}
	return None
}

// ForFile is the compression of file name under the declared option v.
func ForFile(name, v string) (Codec, error) {
	c, auto, err := Parse(v)
	if err != nil || !auto {
		return c, err
	}
	return FromName(name), nil
}

// ForSink is the compression a sink writes: the declared one, none when
// undeclared or auto.
func ForSink(v string) (Codec, error) {
	c, _, err := Parse(v)
	return c, err
}

// NewReader decompresses r. Closing the result does not close r.
func NewReader(c Codec, r io.Reader) (io.ReadCloser, error) {
	switch c {
	case Gzip:
		z, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("%w: gzip: %w", format.ErrCorrupt, err)
		}
		return &readErrs{r: z, c: z.Close, name: "gzip"}, nil
	case Zstd:
		z, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, fmt.Errorf("zstd: %w", err)
		}
		return &readErrs{r: z, c: func() error { z.Close(); return nil }, name: "zstd"}, nil
	}
	return io.NopCloser(r), nil
}

// readErrs marks decoder errors as corrupt input, so they are not retried
// and name their codec.
type readErrs struct {
	r    io.Reader
	c    func() error
	name string
}

func (d *readErrs) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%w: %s: %w", format.ErrCorrupt, d.name, err)
	}
	return n, err
}

func (d *readErrs) Close() error { return d.c() }

// NewWriter compresses into w. Closing the result finishes the stream
// but does not close w.
func NewWriter(c Codec, w io.Writer) (io.WriteCloser, error) {
	switch c {
	case Gzip:
		return gzip.NewWriter(w), nil
	case Zstd:
		return zstd.NewWriter(w, zstd.WithEncoderConcurrency(1))
	}
	return nopWriteCloser{w}, nil
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

// FileExtension is the extension a sink of format extension ext writes
// under its options: "csv.gz" for compression = "gzip".
func FileExtension(ext string, options map[string]string) string {
	for k, v := range options {
		if strings.EqualFold(k, Option) {
			if c, err := ForSink(v); err == nil && c != None {
				return ext + "." + c.Extension()
			}
		}
	}
	return ext
}
