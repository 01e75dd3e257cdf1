package textfile

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
)

// TestScanAcrossChunks: the scan's state carries across reads, so cuts do
// not depend on where the chunks end.
func TestScanAcrossChunks(t *testing.T) {
	files := []struct {
		data string
		d    Dialect
	}{
		{"\xef\xbb\xbf\"h\n1\",h2\r\n1,\"a\"\"\n,b\"\r\n\r\n2,x\"y\n3,\"\",\n4,\"q\"\r\n", Dialect{Delim: ',', Quote: '"', Header: true}},
		{"skip \"me\nid;t\n1;'a;\nb'\n2;c\n3;'''';x\n", Dialect{Delim: ';', Quote: '\'', SkipRows: 1, Header: true}},
		{"1,\"a\"b\n2,c\n3,d\n", Dialect{Delim: ',', Quote: '"'}},
	}
	for i, f := range files {
		for target := int64(1); target < int64(len(f.data)); target++ {
			want, err := scanChunks(context.Background(), strings.NewReader(f.data), int64(len(f.data)), target, f.d, chunkBytes)
			if err != nil {
				t.Fatal(err)
			}
			for chunk := int64(1); chunk <= 7; chunk++ {
				got, err := scanChunks(context.Background(), strings.NewReader(f.data), int64(len(f.data)), target, f.d, chunk)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("file %d target %d: chunks of %d cut at %v, whole reads at %v", i, target, chunk, got, want)
				}
			}
		}
	}
}

// TestScanCuts lists the cuts of a small file at target 1: every record
// start after the header, none inside quotes or after a malformed field.
func TestScanCuts(t *testing.T) {
	data := "h1,h2\n1,\"a\nb\"\n\n2,c\n3,\"d\"e\n4,f\n"
	cuts, err := scanChunks(context.Background(), strings.NewReader(data), int64(len(data)), 1, Dialect{Delim: ',', Quote: '"', Header: true}, chunkBytes)
	if err != nil {
		t.Fatal(err)
	}
	want := []cut{{6, 1}, {14, 3}, {15, 4}, {19, 5}}
	if !reflect.DeepEqual(cuts, want) {
		t.Fatalf("cuts %v, want %v", cuts, want)
	}
	for _, c := range cuts {
		if n := int64(strings.Count(data[:c.off], "\n")); n != c.lines {
			t.Errorf("cut %v: %d newlines before", c, n)
		}
	}
}

func TestCountLines(t *testing.T) {
	data := bytes.Repeat([]byte("ab\ncd\r\n\n"), 1000)
	for _, end := range []int64{0, 1, 3, 7, 8, 5000, int64(len(data))} {
		got, err := CountLines(context.Background(), bytes.NewReader(data), end)
		if want := int64(bytes.Count(data[:end], []byte("\n"))); err != nil || got != want {
			t.Errorf("CountLines(%d) = %d, %v; want %d", end, got, err, want)
		}
	}
}
