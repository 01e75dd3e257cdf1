package parquetfmt

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
)

// fakePages is a file.PageReader over pages made in memory: the own
// decoder's page handling is tested on pages no writer makes.
type fakePages struct {
	pages []file.Page
	at    int
}

func (f *fakePages) SetMaxPageHeaderSize(int) {}
func (f *fakePages) Page() file.Page          { return f.pages[f.at-1] }
func (f *fakePages) Next() bool {
	if f.at >= len(f.pages) {
		return false
	}
	f.at++
	return true
}
func (f *fakePages) Err() error { return nil }
func (f *fakePages) Reset(parquet.BufferedReader, int64, compress.Compression, *file.CryptoContext) {
}
func (f *fakePages) GetDictionaryPage() (*file.DictionaryPage, error) {
	for _, p := range f.pages {
		if d, ok := p.(*file.DictionaryPage); ok {
			return d, nil
		}
	}
	return nil, nil
}
func (f *fakePages) SeekToPageWithRow(int64) error { return errors.New("no offset index") }
func (f *fakePages) Close() error                  { return nil }

func buf(b []byte) *memory.Buffer { return memory.NewBufferBytes(b) }

func int64Decoder(pages []file.Page, rows int64, nullable bool) *colDecoder[uint64] {
	return &colDecoder[uint64]{pageBase: pageBase{pr: &fakePages{pages: pages}, chunkRows: rows, nullable: nullable,
		kind: payKind{kind: pageRaw, typ: arrow.PrimitiveTypes.Int64}}}
}

func bytesDecoder(pages []file.Page, rows int64, nullable bool) *colDecoder[uint32] {
	return &colDecoder[uint32]{pageBase: pageBase{pr: &fakePages{pages: pages}, chunkRows: rows, nullable: nullable,
		kind: payKind{kind: pageBytes, typ: arrow.BinaryTypes.String}}}
}

func boolDecoder(pages []file.Page, rows int64, nullable bool) *colDecoder[uint32] {
	return &colDecoder[uint32]{pageBase: pageBase{pr: &fakePages{pages: pages}, chunkRows: rows, nullable: nullable,
		kind: payKind{kind: pageBool, typ: arrow.FixedWidthTypes.Boolean}}}
}

func fixedDecoder(pages []file.Page, rows int64, nullable bool) *colDecoder[uint64] {
	return &colDecoder[uint64]{pageBase: pageBase{pr: &fakePages{pages: pages}, chunkRows: rows, nullable: nullable, fixedLen: 5,
		kind: payKind{kind: pageFixed, typ: &arrow.Decimal128Type{Precision: 12, Scale: 2}}}}
}

// plainBytes is BYTE_ARRAY values as PLAIN encodes them.
func plainBytes(vals ...string) []byte {
	var b []byte
	for _, v := range vals {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(v)))
		b = append(b, v...)
	}
	return b
}

func dictPage(vals ...int64) *file.DictionaryPage {
	b := make([]byte, 8*len(vals))
	for i, v := range vals {
		binary.LittleEndian.PutUint64(b[8*i:], uint64(v))
	}
	return file.NewDictionaryPage(buf(b), int32(len(vals)), parquet.Encodings.Plain)
}

// TestPageDecoderCorruptPages: pages that contradict themselves or the
// chunk are errBadPage (the reader makes it format.ErrCorrupt naming the
// file), whatever rows are asked for.
func TestPageDecoderCorruptPages(t *testing.T) {
	idx := func(width byte, ids ...uint32) []byte {
		return append([]byte{width}, encodeHybrid(ids, uint(width))...)
	}
	defs := func(levels ...uint32) []byte { // v1 definition levels, length first
		l := encodeHybrid(levels, 1)
		return append(binary.LittleEndian.AppendUint32(nil, uint32(len(l))), l...)
	}
	v1 := func(data []byte, n int32, enc parquet.Encoding) file.Page {
		return file.NewDataPageV1(buf(data), n, enc, parquet.Encodings.RLE, parquet.Encodings.RLE, int32(len(data)))
	}
	for _, c := range []struct {
		name     string
		pages    []file.Page
		rows     int64
		nullable bool
		dec      string // "": INT64, "bytes": BYTE_ARRAY as utf8, "bool": BOOLEAN, "fixed": FIXED_LEN_BYTE_ARRAY(5) decimals
	}{
		{"index past the dictionary", []file.Page{dictPage(1, 2, 3), v1(idx(2, 0, 1, 2, 3), 4, parquet.Encodings.RLEDict)}, 4, false, ""},
		{"dictionary page without its values", []file.Page{file.NewDictionaryPage(buf(make([]byte, 8)), 3, parquet.Encodings.Plain), v1(idx(2, 0, 1, 2, 2), 4, parquet.Encodings.RLEDict)}, 4, false, ""},
		{"no dictionary", []file.Page{v1(idx(1, 0, 1, 1, 0), 4, parquet.Encodings.RLEDict)}, 4, false, ""},
		{"index width 40", []file.Page{dictPage(1), v1([]byte{40, 2, 0}, 4, parquet.Encodings.RLEDict)}, 4, false, ""},
		{"indices end early", []file.Page{dictPage(1, 2), v1(idx(1, 0, 1), 16, parquet.Encodings.RLEDict)}, 16, false, ""},
		{"plain values short", []file.Page{v1(make([]byte, 20), 3, parquet.Encodings.Plain)}, 3, false, ""},
		{"levels longer than the page", []file.Page{v1([]byte{100, 0, 0, 0, 1}, 3, parquet.Encodings.Plain)}, 3, true, ""},
		{"chunk ends early", []file.Page{v1(make([]byte, 16), 2, parquet.Encodings.Plain)}, 5, false, ""},
		{"pages past the chunk", []file.Page{v1(make([]byte, 32), 4, parquet.Encodings.Plain)}, 2, false, ""},
		{"delta page", []file.Page{v1(make([]byte, 32), 4, parquet.Encodings.DeltaBinaryPacked)}, 4, false, ""},
		{"v2 levels past the page", []file.Page{file.NewDataPageV2(buf(make([]byte, 8)), 2, 0, 2, parquet.Encodings.Plain, 20, 0, 8, false)}, 2, true, ""},
		{"string past the page", []file.Page{v1(append(plainBytes("abc"), 100, 0, 0, 0, 'x'), 2, parquet.Encodings.Plain)}, 2, false, "bytes"},
		{"string of negative length", []file.Page{v1(append(plainBytes("abc", ""), 0xff, 0xff, 0xff, 0xff, 'x'), 3, parquet.Encodings.Plain)}, 3, false, "bytes"},
		{"string page ends inside a length", []file.Page{v1(append(plainBytes("abc"), 1, 0), 2, parquet.Encodings.Plain)}, 2, false, "bytes"},
		{"strings fewer than the levels say", []file.Page{v1(append(defs(1, 1, 1), plainBytes("a", "b")...), 3, parquet.Encodings.Plain)}, 3, true, "bytes"},
		{"string index past the dictionary", []file.Page{file.NewDictionaryPage(buf(plainBytes("x", "yz")), 2, parquet.Encodings.Plain), v1(idx(2, 0, 1, 0, 2), 4, parquet.Encodings.RLEDict)}, 4, false, "bytes"},
		{"string dictionary past its page", []file.Page{file.NewDictionaryPage(buf(append(plainBytes("x"), 9, 0, 0, 0, 'y')), 2, parquet.Encodings.Plain), v1(idx(1, 0, 1), 2, parquet.Encodings.RLEDict)}, 2, false, "bytes"},
		{"strings then a page past the chunk", []file.Page{v1(plainBytes("a", "b", "c"), 3, parquet.Encodings.Plain)}, 2, false, "bytes"},
		{"booleans fewer than the rows", []file.Page{v1([]byte{0xff}, 9, parquet.Encodings.Plain)}, 9, false, "bool"},
		{"RLE booleans without their length", []file.Page{v1([]byte{2, 0}, 1, parquet.Encodings.RLE)}, 1, false, "bool"},
		{"RLE booleans past the page", []file.Page{v1([]byte{9, 0, 0, 0, 8, 1}, 4, parquet.Encodings.RLE)}, 4, false, "bool"},
		{"RLE booleans end early", []file.Page{v1([]byte{2, 0, 0, 0, 4, 1}, 4, parquet.Encodings.RLE)}, 4, false, "bool"},
		{"RLE boolean of 2", []file.Page{v1([]byte{2, 0, 0, 0, 8, 2}, 4, parquet.Encodings.RLE)}, 4, false, "bool"},
		{"dictionary booleans", []file.Page{dictPage(1), v1(idx(1, 0, 0), 2, parquet.Encodings.RLEDict)}, 2, false, "bool"},
		{"fixed values short", []file.Page{v1(make([]byte, 14), 3, parquet.Encodings.Plain)}, 3, false, "fixed"},
		{"fixed values short of the levels", []file.Page{v1(append(defs(1, 0, 1, 1), make([]byte, 10)...), 4, parquet.Encodings.Plain)}, 4, true, "fixed"},
		{"fixed dictionary short", []file.Page{file.NewDictionaryPage(buf(make([]byte, 9)), 2, parquet.Encodings.Plain), v1(idx(1, 0, 1), 2, parquet.Encodings.RLEDict)}, 2, false, "fixed"},
		{"fixed index past the dictionary", []file.Page{file.NewDictionaryPage(buf(make([]byte, 10)), 2, parquet.Encodings.Plain), v1(idx(2, 0, 1, 2), 3, parquet.Encodings.RLEDict)}, 3, false, "fixed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			// Indices of rows not selected are not looked at: every
			// selection holds the last row.
			last := int32(c.rows - 1)
			for _, sel := range [][]int32{nil, {last}, {0, last}} {
				var d payDecoder = int64Decoder(c.pages, c.rows, c.nullable)
				switch c.dec {
				case "bytes":
					d = bytesDecoder(c.pages, c.rows, c.nullable)
				case "bool":
					d = boolDecoder(c.pages, c.rows, c.nullable)
				case "fixed":
					d = fixedDecoder(c.pages, c.rows, c.nullable)
				}
				a, err := d.read(0, c.rows, sel, sel == nil)
				if a != nil {
					a.Release()
				}
				if !errors.Is(err, errBadPage) {
					t.Fatalf("selection %v: %v, want errBadPage", sel, err)
				}
			}
		})
	}
}

// FuzzPageDecoder decodes arbitrary page bytes as a dictionary page and
// a data page (v1 or v2, nullable or not, PLAIN or dictionary indices):
// any error is fine; a panic, or a column of the wrong length, is not.
func FuzzPageDecoder(f *testing.F) {
	ids := append([]byte{2}, encodeHybrid([]uint32{0, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 0}, 2)...)
	f.Add(dictPage(5, 6, 7).Data(), ids, uint16(12), uint8(1))
	f.Add([]byte{}, make([]byte, 64), uint16(8), uint8(0))
	levels := encodeHybrid([]uint32{1, 0, 1, 1, 0, 1, 1, 1}, 1)
	v1 := binary.LittleEndian.AppendUint32(nil, uint32(len(levels)))
	f.Add([]byte{}, append(append(v1, levels...), make([]byte, 48)...), uint16(8), uint8(4))
	// Strings (mode&8): a dictionary and indices, PLAIN values.
	f.Add(plainBytes("a", "", "bc"), ids, uint16(12), uint8(9))
	f.Add([]byte{}, plainBytes("x", "", "yz", "w"), uint16(4), uint8(8))
	// Booleans (mode&16): PLAIN bits, RLE runs behind their length.
	f.Add([]byte{}, []byte{0xa5, 0x0f}, uint16(12), uint8(16))
	f.Add([]byte{}, []byte{4, 0, 0, 0, 8, 1, 3, 0xa5}, uint16(12), uint8(17))
	// FIXED_LEN_BYTE_ARRAY(5) decimals (mode&32).
	f.Add(make([]byte, 15), ids, uint16(12), uint8(33))
	f.Add([]byte{}, []byte{0x80, 0, 0, 0, 1, 0x7f, 0xff, 0xff, 0xff, 0xff}, uint16(2), uint8(32))
	f.Fuzz(func(t *testing.T, dict, page []byte, n uint16, mode uint8) {
		rows := int64(n%2048) + 1
		enc := parquet.Encodings.Plain
		if mode&1 != 0 {
			enc = parquet.Encodings.RLEDict
			if mode&24 == 16 {
				enc = parquet.Encodings.RLE // booleans
			}
		}
		nullable := mode&4 != 0
		var dp file.Page
		if mode&2 != 0 {
			// v2: the first byte says how many level bytes lead.
			dl := int32(0)
			if len(page) > 0 {
				dl = int32(page[0])
				page = page[1:]
			}
			dp = file.NewDataPageV2(buf(page), int32(rows), 0, int32(rows), enc, dl, 0, int32(len(page)), false)
		} else {
			dp = file.NewDataPageV1(buf(page), int32(rows), enc, parquet.Encodings.RLE, parquet.Encodings.RLE, int32(len(page)))
		}
		strs := mode&8 != 0
		dictN := int32(len(dict) / 8)
		if strs {
			dictN = int32(len(dict) / 4)
		} else if mode&32 != 0 {
			dictN = int32(len(dict) / 5)
		}
		pages := []file.Page{file.NewDictionaryPage(buf(dict), dictN, parquet.Encodings.Plain), dp}
		for _, sel := range [][]int32{nil, {0, int32(rows - 1)}} {
			var d payDecoder = int64Decoder(pages, rows, nullable)
			if strs {
				d = bytesDecoder(pages, rows, nullable)
			} else if mode&16 != 0 {
				d = boolDecoder(pages, rows, nullable) // RLE in place of dictionary indices
			} else if mode&32 != 0 {
				d = fixedDecoder(pages, rows, nullable)
			}
			a, err := d.read(0, rows, sel, sel == nil)
			if err != nil {
				continue
			}
			want := len(sel)
			if sel == nil {
				want = int(rows)
			}
			if sel != nil && rows == 1 {
				want = 2 // {0, 0}: the same row twice is not a selection
				a.Release()
				continue
			}
			if a.Len() != want {
				t.Fatalf("%d values, want %d", a.Len(), want)
			}
			a.Release()
		}
	})
}
