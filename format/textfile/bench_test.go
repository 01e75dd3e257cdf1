package textfile

import (
	"bytes"
	"context"
	"fmt"
	"testing"
)

// BenchmarkScanCSV measures the planning scan over 32 MiB of records, a
// third of them with quoted newlines and doubled quotes.
func BenchmarkScanCSV(b *testing.B) {
	var buf bytes.Buffer
	for i := 0; buf.Len() < 32<<20; i++ {
		if i%3 == 0 {
			fmt.Fprintf(&buf, "%d,\"multi\nline \"\"%d\"\"\",%d.5,some more text here\n", i, i, i)
		} else {
			fmt.Fprintf(&buf, "%d,plain %d,%d.5,some more text here\n", i, i, i)
		}
	}
	data := buf.Bytes()
	d := Dialect{Delim: ',', Quote: '"', Header: true}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		if _, err := scanCSV(context.Background(), bytes.NewReader(data), int64(len(data)), 1<<20, d); err != nil {
			b.Fatal(err)
		}
	}
}
