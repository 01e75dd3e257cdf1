package compress_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/compress"
)

func TestForFile(t *testing.T) {
	tests := []struct {
		name, option string
		want         compress.Codec
		err          bool
	}{
		{"a.csv", "", compress.None, false},
		{"a.csv.gz", "", compress.Gzip, false},
		{"A.JSONL.ZST", "auto", compress.Zstd, false},
		{"a.csv.zstd", "", compress.Zstd, false},
		{"a.csv", "gzip", compress.Gzip, false},
		{"a.csv.gz", "none", compress.None, false},
		{"a.data", "zstd", compress.Zstd, false},
		{"a.csv", "lz4", compress.None, true},
	}
	for _, tc := range tests {
		got, err := compress.ForFile(tc.name, tc.option)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ForFile(%q, %q) = %v, %v; want %v, error %v", tc.name, tc.option, got, err, tc.want, tc.err)
		}
		if err != nil && !errors.Is(err, compress.ErrUnknown) {
			t.Errorf("error %v is not ErrUnknown", err)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	text := strings.Repeat("a,b\n1,\"x\ny\"\n", 1000)
	for _, c := range []compress.Codec{compress.None, compress.Gzip, compress.Zstd} {
		var buf bytes.Buffer
		w, err := compress.NewWriter(c, &buf)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, text); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if c != compress.None && buf.Len() >= len(text)/4 {
			t.Errorf("%v: %d bytes from %d", c, buf.Len(), len(text))
		}
		r, err := compress.NewReader(c, &buf)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r)
		if err != nil || string(got) != text {
			t.Fatalf("%v: read %d bytes, %v", c, len(got), err)
		}
		r.Close()
	}
}

func TestCorruptIsFormatCorrupt(t *testing.T) {
	var buf bytes.Buffer
	w, _ := compress.NewWriter(compress.Gzip, &buf)
	io.WriteString(w, strings.Repeat("hello\n", 100))
	w.Close()
	data := buf.Bytes()
	data[len(data)/2] ^= 0xff
	r, err := compress.NewReader(compress.Gzip, bytes.NewReader(data))
	if err == nil {
		_, err = io.ReadAll(r)
	}
	if !errors.Is(err, format.ErrCorrupt) {
		t.Fatalf("got %v, want ErrCorrupt", err)
	}
	r, err = compress.NewReader(compress.Zstd, strings.NewReader("not zstd at all"))
	if err == nil {
		_, err = io.ReadAll(r)
	}
	if !errors.Is(err, format.ErrCorrupt) {
		t.Fatalf("zstd: got %v, want ErrCorrupt", err)
	}
}
