package parquetfmt

import (
	"encoding/binary"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// dictionaries reads the dictionary pages of string column chunks, for
// pruning a row group whose dictionary holds none of the values an
// equality or IN filter asks for (min/max cannot: "b" lies between "a"
// and "c" whether or not the chunk has it). Only chunks whose page
// encoding statistics prove every data page dictionary-encoded qualify:
// a page that fell back to plain encoding may hold any value.
type dictionaries struct {
	rdr *file.Reader // reads through buffered streams: only the dictionary page moves
}

// mayContain reports whether leaf's chunk in row group rg may hold a
// value of want (false only when its dictionary proves it holds none).
func (d *dictionaries) mayContain(rg, leaf int, fileType arrow.DataType, want []string) (may bool) {
	if d == nil || !isSmallBinary(fileType) {
		return true
	}
	defer func() {
		if recover() != nil {
			may = true // a dictionary page arrow-go cannot read: no pruning
		}
	}()
	rgr := d.rdr.RowGroup(rg)
	cc, err := rgr.MetaData().ColumnChunk(leaf)
	if err != nil || !provenDictionaryOnly(cc) {
		return true
	}
	pr, err := rgr.GetColumnPageReader(leaf)
	if err != nil {
		return true
	}
	defer pr.Close()
	if !pr.Next() {
		return true
	}
	dp, ok := pr.Page().(*file.DictionaryPage)
	if !ok {
		return true
	}
	if enc := parquet.Encoding(dp.Encoding()); enc != parquet.Encodings.Plain && enc != parquet.Encodings.PlainDict {
		return true
	}
	values, ok := plainByteArrays(dp.Data(), int(dp.NumValues()))
	if !ok {
		return true
	}
	for _, v := range values {
		for _, w := range want {
			if v == w {
				return true
			}
		}
	}
	return false
}

// provenDictionaryOnly reports whether the chunk's encoding statistics
// exist and show only dictionary-encoded data pages.
func provenDictionaryOnly(cc *metadata.ColumnChunkMetaData) bool {
	const dataPage, dataPageV2 = 0, 3 // parquet.thrift PageType
	stats := cc.EncodingStats()
	seen := false
	for _, st := range stats {
		if pt := int32(st.PageType); pt == dataPage || pt == dataPageV2 {
			if !isDictEncoding(st.Encoding) {
				return false
			}
			seen = true
		}
	}
	return seen
}

// plainByteArrays decodes n PLAIN byte arrays (4-byte little-endian
// length, then the bytes).
func plainByteArrays(b []byte, n int) ([]string, bool) {
	out := make([]string, 0, n)
	for range n {
		if len(b) < 4 {
			return nil, false
		}
		l := binary.LittleEndian.Uint32(b)
		b = b[4:]
		if uint64(l) > uint64(len(b)) {
			return nil, false
		}
		out = append(out, string(b[:l]))
		b = b[l:]
	}
	return out, true
}

// dictWanted returns the string values e (col = 'x', 'x' = col, col IN
// ('x', ...)) asks column col for; ok is false for any other form.
func dictWanted(e *expr.Expr) (col *expr.Expr, want []string, ok bool) {
	switch {
	case e.IsCall(expr.FnEq) && len(e.Args) == 2:
		c, l := e.Args[0], e.Args[1]
		if c.IsLiteral() {
			c, l = l, c
		}
		if c.Kind != expr.KindColumn || !l.IsLiteral() || l.Value.Null || l.Value.Type.ID != types.String {
			return nil, nil, false
		}
		return c, []string{l.Value.S}, true
	case e.IsCall(expr.FnIn) && len(e.Args) >= 2:
		c := e.Args[0]
		if c.Kind != expr.KindColumn {
			return nil, nil, false
		}
		for _, a := range e.Args[1:] {
			if !a.IsLiteral() {
				return nil, nil, false
			}
			if a.Value.Null {
				continue // NULL matches nothing
			}
			if a.Value.Type.ID != types.String {
				return nil, nil, false
			}
			want = append(want, a.Value.S)
		}
		return c, want, true
	}
	return nil, nil, false
}
