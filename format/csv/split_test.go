package csvfmt_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
	"github.com/drover-etl/drover/types"
)

// adversarial builds a CSV file whose quoted fields hold newlines, CRLFs,
// doubled quotes and delimiters, with blank lines between records, so
// that many byte offsets lie inside records.
func adversarial(rows int, crlf bool) string {
	rnd := rand.New(rand.NewSource(int64(rows)))
	eol := "\n"
	if crlf {
		eol = "\r\n"
	}
	pieces := []string{"a", "\n", "\r\n", `"`, ",", "x\ny", "\n\n", " ", "\"\n\"", "\r"}
	var b strings.Builder
	b.WriteString("\xef\xbb\xbfid,\"te\nxt\",n" + eol)
	for i := range rows {
		var s strings.Builder
		for range rnd.Intn(5) {
			s.WriteString(pieces[rnd.Intn(len(pieces))])
		}
		text := s.String()
		if text == "" || rnd.Intn(3) == 0 || strings.ContainsAny(text, "\n\r,\"") {
			text = `"` + strings.ReplaceAll(text, `"`, `""`) + `"`
		}
		fmt.Fprintf(&b, "%d,%s,%d%s", i, text, i*7, eol)
		if rnd.Intn(6) == 0 {
			b.WriteString(eol)
		}
	}
	return b.String()
}

var splitTable = types.NewSchema(types.Field{Name: "id", Type: types.Int64Type},
	types.Field{Name: "text", Type: types.StringType}, types.Field{Name: "n", Type: types.Int64Type})

func scanRows(t *testing.T, path string, target int64, opts map[string]string) [][]string {
	t.Helper()
	recs, err := formattest.Scan(f, path, target, format.ReadOptions{Table: splitTable, Options: opts, BatchRows: 3})
	if err != nil {
		t.Fatalf("target %d: %v", target, err)
	}
	defer formattest.Release(recs)
	return formattest.Rows(t, recs)
}

// TestSplitsGiveSameRows reads adversarial files cut at every split size
// from 1 byte up, so that cuts fall at every offset inside quoted fields,
// CRLFs and blank lines.
func TestSplitsGiveSameRows(t *testing.T) {
	for _, crlf := range []bool{false, true} {
		data := adversarial(60, crlf)
		path := filepath.Join(t.TempDir(), "adv.csv")
		formattest.Put(t, path, []byte(data))
		want := scanRows(t, path, 0, nil)
		if len(want) != 60 || want[0][0] != "0" {
			t.Fatalf("unsplit read %d rows, first %v", len(want), want[0])
		}
		for target := int64(1); target <= int64(len(data))+1; target += 1 + target/16 {
			formattest.Equal(t, want, scanRows(t, path, target, nil))
		}
	}
}

func TestSplitCutsAtRecords(t *testing.T) {
	data := adversarial(200, false)
	path := filepath.Join(t.TempDir(), "adv.csv")
	formattest.Put(t, path, []byte(data))
	splits := splitsOf(t, path, 64, nil)
	if len(splits) < 10 {
		t.Fatalf("a %d-byte file cut at 64 bytes gave %d splits", len(data), len(splits))
	}
	var end int64
	for i, s := range splits {
		if !s.Aligned || s.Offset != end || s.Length <= 0 {
			t.Fatalf("split %d = %+v does not continue at %d", i, s, end)
		}
		if got := int64(strings.Count(data[:s.Offset], "\n")); got != s.LinesBefore {
			t.Fatalf("split %d at %d: %d lines before, file has %d", i, s.Offset, s.LinesBefore, got)
		}
		end = s.Offset + s.Length
	}
	if end != int64(len(data)) {
		t.Fatalf("splits end at %d, file at %d", end, len(data))
	}
}

// TestSplitOptionsDialect: skip_rows lines (with an unbalanced quote), no
// header, another delimiter and quote, quoting off.
func TestSplitOptionsDialect(t *testing.T) {
	tests := []struct {
		name string
		data string
		opts map[string]string
	}{
		{"skip rows", "junk \"line\n\"more\njunk\nid,text,n\n1,\"a\nb\",2\n2,c,3\n3,\"\"\"x\"\"\",4\n", map[string]string{"skip_rows": "3"}},
		{"no header", "1,\"a\n\n\nb\",2\n\n2,c,3\n3,\"d,e\",4\n", map[string]string{"header": "false"}},
		{"semicolon quote", "id;text;n\n1;'a;\nb''';2\n2;c\";3\n3;'x';4\n", map[string]string{"delimiter": ";", "quote": "'"}},
		{"quoting off", "id,text,n\n1,\"a,2\n2,b\",3\n", map[string]string{"quote": ""}},
		{"quote mid field", "id,text,n\n1,a\"b,2\n2,\"c\nd\",3\n3,e\"\",4\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "d.csv")
			formattest.Put(t, path, []byte(tc.data))
			want := scanRows(t, path, 0, tc.opts)
			for target := int64(1); target <= int64(len(tc.data)); target++ {
				formattest.Equal(t, want, scanRows(t, path, target, tc.opts))
			}
		})
	}
}

// TestSplitBadRowLine: a bad row late in the file reports its true line
// from whichever split holds it, and the same error as unsplit.
func TestSplitBadRowLine(t *testing.T) {
	data := adversarial(80, false)
	lines := strings.Count(data, "\n")
	data += "81,\"multi\nline\",oops\n82,x,1\n"
	path := filepath.Join(t.TempDir(), "bad.csv")
	formattest.Put(t, path, []byte(data))
	for _, target := range []int64{0, 7, 50, 300, 1000} {
		_, err := formattest.Scan(f, path, target, format.ReadOptions{Table: splitTable})
		var de *format.DataError
		if !errors.As(err, &de) || de.Line != int64(lines+1) || de.Column != "n" {
			t.Fatalf("target %d: got %v, want a DataError at line %d column n", target, err, lines+1)
		}
	}
}

// TestSplitStopsAtMalformedQuote: after a malformed quoted field the scan
// cannot tell records apart, so the split holding it reads to the end and
// the error is the one an unsplit read gives.
func TestSplitStopsAtMalformedQuote(t *testing.T) {
	data := adversarial(30, false)
	lines := strings.Count(data, "\n")
	data += "31,\"a\"b,1\n" + adversarial(30, false)[20:]
	path := filepath.Join(t.TempDir(), "bad.csv")
	formattest.Put(t, path, []byte(data))
	for _, target := range []int64{0, 5, 40} {
		_, err := formattest.Scan(f, path, target, format.ReadOptions{Table: splitTable})
		var de *format.DataError
		if !errors.As(err, &de) || de.Line != int64(lines+1) || !strings.Contains(err.Error(), "after closing quote") {
			t.Fatalf("target %d: got %v, want the closing-quote error at line %d", target, err, lines+1)
		}
	}
}

// TestSplitOfChangedFile: ranges cut for one version of a file are not
// read from another.
func TestSplitOfChangedFile(t *testing.T) {
	data := adversarial(40, false)
	path := filepath.Join(t.TempDir(), "c.csv")
	formattest.Put(t, path, []byte(data))
	splits := splitsOf(t, path, 100, nil)
	formattest.Put(t, path, []byte(data+"41,x,1\n"))
	_, err := f.Open(context.Background(), splits[1], format.ReadOptions{Table: splitTable})
	if !errors.Is(err, format.ErrCorrupt) || !strings.Contains(err.Error(), "changed since the job was planned") {
		t.Fatalf("got %v", err)
	}
}
