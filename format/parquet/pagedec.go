package parquetfmt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync/atomic"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// Own page decoding. pqarrow decodes a whole batch of a column
// (definition levels, spaced dictionary decoding into fresh zeroed
// buffers) and the reader then, on late materialization's payload side
// (latemat.go), gathers the selected rows and widens decimals. For the
// hot columns, flat INT32/INT64/FLOAT/DOUBLE/BYTE_ARRAY chunks (at most
// one definition level, no repetition) in PLAIN or dictionary pages (v1
// or v2, dictionary falling back to PLAIN mid-chunk; BYTE_ARRAY read as
// dictionary indices only when every page is dictionary-encoded;
// FIXED_LEN_BYTE_ARRAY decimals as decimal128) and BOOLEAN chunks in
// PLAIN or RLE pages, a payDecoder reads the pages itself (arrow-go
// still reads and decompresses them) and decodes only
// what the selection needs, straight into the output: runs of rows
// without a selected one are stepped over (O(1) per RLE run), dictionary
// values are gathered by index for the selected rows only, and a decimal
// stored as integers and only widened comes out as decimal128. Its
// scratch (levels, indices) is reused across the unit's batches. The
// filter side, and units without late materialization, use it (every
// row) when it reads all their chunks of the row group, as one
// ownSource (pagedec_filter.go). Every other chunk (other types,
// encodings such as DELTA or BYTE_STREAM_SPLIT, encryption) is read by
// pqarrow as before; the choice is per column chunk and row group.

// pageDecoderSetting turns own page decoding on (tests compare answers
// with it off).
var pageDecoderSetting atomic.Bool

func init() { pageDecoderSetting.Store(true) }

// pageDecoderChunks counts the column chunks the own decoder opened
// (tests check that it ran).
var pageDecoderChunks atomic.Int64

// pageDecoderKinds counts the chunks it opened by kind (tests check
// that each ran).
var pageDecoderKinds [pageFixed + 1]atomic.Int64

// pageKind says what a payload leaf decodes into.
type pageKind uint8

const (
	pageNone  pageKind = iota // pqarrow decodes it
	pageRaw                   // the physical values, as the leaf's arrow type
	pageDec                   // unscaled integers widened to decimal128
	pageDict                  // BYTE_ARRAY dictionary indices: dictionary<int32, utf8|binary>
	pageBytes                 // BYTE_ARRAY values (PLAIN or from the dictionary): utf8|binary
	pageBool                  // BOOLEAN (PLAIN bit-packed or RLE): boolean
	pageFixed                 // FIXED_LEN_BYTE_ARRAY decimals of at most 16 bytes: decimal128
)

// payKind is how the own decoder would produce payload leaf pos, and the
// arrow type it produces (what pqarrow would, or the widened decimal).
type payKind struct {
	kind pageKind
	typ  arrow.DataType
}

// choosePageDecoders decides, per leaf of the late plan, whether the own
// decoder may read it (its chunks are checked again per row group:
// ownChunk). fr's manifest gives the arrow type pqarrow produces (after
// readDirectDecimals). Filter-side leaves come out as pqarrow's arrays
// (convertLate converts them); payload decimals that only widen come
// out widened.
func (p *plan) choosePageDecoders(fr *pqarrow.FileReader) {
	if !pageDecoderSetting.Load() {
		return
	}
	lp := p.late
	if lp == nil {
		p.ownAll = allKinds(fr, p.leaves)
		return
	}
	lp.own = make([]payKind, len(lp.payLeaves))
	for pos, leaf := range lp.payLeaves {
		lp.own[pos] = leafKind(fr, leaf)
		if out := p.widenedOut(pos); out != nil && lp.own[pos].kind == pageRaw {
			lp.own[pos] = payKind{kind: pageDec, typ: out}
		}
	}
	lp.ownFilter = allKinds(fr, lp.filterLeaves)
}

// allKinds is how the own decoder reads each of leaves, or nil when it
// does not read some: a record batch is read by one reader.
func allKinds(fr *pqarrow.FileReader, leaves []int) []payKind {
	kinds := make([]payKind, len(leaves))
	for i, leaf := range leaves {
		if kinds[i] = leafKind(fr, leaf); kinds[i].kind == pageNone {
			return nil
		}
	}
	return kinds
}

// leafKind is how the own decoder reads leaf (pageNone: it does not).
func leafKind(fr *pqarrow.FileReader, leaf int) payKind {
	col := fr.ParquetReader().MetaData().Schema.Column(leaf)
	if col.MaxRepetitionLevel() != 0 || col.MaxDefinitionLevel() > 1 {
		return payKind{}
	}
	at := leafArrowType(fr, leaf)
	if at == nil {
		return payKind{}
	}
	if dt, ok := at.(*arrow.DictionaryType); ok {
		// pqarrow reads it as a dictionary (chooseDictionaries).
		if col.PhysicalType() == parquet.Types.ByteArray && dt.IndexType.ID() == arrow.INT32 && isSmallBinary(dt.ValueType) {
			return payKind{kind: pageDict, typ: at}
		}
		return payKind{}
	}
	if col.PhysicalType() == parquet.Types.ByteArray {
		// pqarrow reads it as utf8 or binary with int32 offsets (large
		// ones, from a stored Arrow schema, stay with pqarrow).
		if isSmallBinary(at) {
			return payKind{kind: pageBytes, typ: at}
		}
		return payKind{}
	}
	if col.PhysicalType() == parquet.Types.FixedLenByteArray {
		if at.ID() == arrow.DECIMAL128 && col.TypeLength() >= 1 && col.TypeLength() <= 16 {
			return payKind{kind: pageFixed, typ: at}
		}
		return payKind{}
	}
	if col.PhysicalType() == parquet.Types.Boolean {
		if at.ID() == arrow.BOOL {
			return payKind{kind: pageBool, typ: at}
		}
		return payKind{}
	}
	if !sameBits(at, col.PhysicalType()) {
		return payKind{}
	}
	return payKind{kind: pageRaw, typ: at}
}

// leafArrowType is the arrow type pqarrow reads leaf as (nil: not a
// top-level leaf of the manifest).
func leafArrowType(fr *pqarrow.FileReader, leaf int) arrow.DataType {
	for i := range fr.Manifest.Fields {
		sf := &fr.Manifest.Fields[i]
		if sf.IsLeaf() && sf.ColIndex == leaf {
			return sf.Field.Type
		}
	}
	return nil
}

// sameBits reports that pqarrow reads physical type pt as arrow type at
// without changing the bits of a value.
func sameBits(at arrow.DataType, pt parquet.Type) bool {
	switch at.ID() {
	case arrow.INT32, arrow.DATE32:
		return pt == parquet.Types.Int32
	case arrow.INT64, arrow.TIMESTAMP: // pqarrow copies INT64 timestamps as they are
		return pt == parquet.Types.Int64
	case arrow.FLOAT32:
		return pt == parquet.Types.Float
	case arrow.FLOAT64:
		return pt == parquet.Types.Double
	}
	return false
}

// widenedOut is the decimal128 type of payload leaf pos when every output
// column it feeds is a decimal converted by widening alone, to that one
// type (nil otherwise).
func (p *plan) widenedOut(pos int) arrow.DataType {
	var out arrow.DataType
	for i, src := range p.late.side {
		if src.filter || src.pos != pos {
			continue
		}
		t := p.schema.Field(i).Type
		if !p.widened(i) || (out != nil && !arrow.TypeEqual(out, t)) {
			return nil
		}
		out = t
	}
	return out
}

// ownChunk reports whether the own decoder reads chunk cc (type pt): no
// encryption, only encodings it knows.
func ownChunk(cc *metadata.ColumnChunkMetaData, pt parquet.Type) bool {
	if cc.CryptoMetadata() != nil || cc.Type() != pt {
		return false
	}
	for _, e := range cc.Encodings() {
		switch e {
		case parquet.Encodings.Plain, parquet.Encodings.PlainDict, parquet.Encodings.RLEDict, parquet.Encodings.RLE:
		default:
			return false
		}
	}
	return true
}

// payDecoder reads one payload column chunk for the selected rows.
type payDecoder interface {
	// read returns rows pos+sel[i] (every row of [pos, pos+n) when all)
	// as an array; pos never goes back.
	read(pos, n int64, sel []int32, all bool) (arrow.Array, error)
	close()
}

// newPayDecoder opens the own decoder for leaf of row group rg, or
// returns nil when the chunk is not one it reads.
func newPayDecoder(rgr *file.RowGroupReader, leaf int, k payKind, indexed bool) (payDecoder, error) {
	if k.kind == pageNone {
		return nil, nil
	}
	col := rgr.MetaData().Schema.Column(leaf)
	cc, err := rgr.MetaData().ColumnChunk(leaf)
	if err != nil {
		return nil, err
	}
	pt := col.PhysicalType()
	if !ownChunk(cc, pt) {
		return nil, nil
	}
	if k.kind == pageBool && chunkHasDictionary(cc) {
		return nil, nil // not a thing writers do; pqarrow's to judge
	}
	if k.kind == pageDict && (len(cc.EncodingStats()) == 0 || hasPlainDataPages(cc) || !chunkHasDictionary(cc)) {
		// Only chunks whose metadata promise dictionary pages throughout:
		// pqarrow turns PLAIN strings into dictionary entries, which
		// this decoder does not.
		return nil, nil
	}
	pr, err := rgr.GetColumnPageReader(leaf)
	if err != nil {
		return nil, err
	}
	pageDecoderChunks.Add(1)
	pageDecoderKinds[k.kind].Add(1)
	base := pageBase{pr: pr, kind: k, nullable: col.MaxDefinitionLevel() == 1, indexed: indexed, chunkRows: cc.NumValues()}
	if k.kind == pageBytes && cc.NumValues() > 0 {
		base.bytesRow = int(min(cc.TotalUncompressedSize()/cc.NumValues(), 1<<10))
	}
	if k.kind == pageFixed {
		base.fixedLen = col.TypeLength()
	}
	if pt == parquet.Types.Int32 || pt == parquet.Types.Float || pt == parquet.Types.ByteArray {
		return &colDecoder[uint32]{pageBase: base}, nil
	}
	return &colDecoder[uint64]{pageBase: base}, nil
}

// pageBase is a payDecoder's state that does not depend on the value
// width.
type pageBase struct {
	pr        file.PageReader
	kind      payKind
	nullable  bool // max definition level 1
	indexed   bool // the chunk has an offset index: skips seek past pages
	chunkRows int64
	row       int64 // row (within the row group) of the next undecoded row
	pageEnd   int64 // row after the current page; == row: no page loaded
	haveDict  bool
	dictPlain bool // the current page is PLAIN (else dictionary indices)
	plain     []byte
	defs      hybrid
	idx       hybrid
	levels    []uint32 // scratch: definition levels of a chunk of rows
	ids       []uint32 // scratch: dictionary indices of a chunk of rows
	// bytesRow (pageBytes) sizes the next read's value buffer: bytes per
	// row, from the chunk's size at first and then from the last read.
	bytesRow int
	fixedLen int // pageFixed: bytes per value
}

func (d *colDecoder[S]) close() {
	d.pr.Close()
	if d.strings != nil {
		d.strings.Release()
		d.strings = nil
	}
}

// decodeChunkRows bounds the rows decoded at once, and so the scratch.
const decodeChunkRows = 4096

// colDecoder decodes values of S (uint32: INT32/FLOAT, uint64:
// INT64/DOUBLE), handled as bits.
type colDecoder[S uint32 | uint64] struct {
	pageBase
	dict []S
	// strings: the chunk's dictionary as an array (then dict is the
	// identity, so that decoding yields the indices).
	strings arrow.Array
	// dictOffs and dictBytes: the dictionary's value offsets and bytes
	// (pageBytes: strings'; pageFixed: i·L and the page's bytes).
	dictOffs  []int32
	dictBytes []byte
	spaced    []S // scratch: a chunk's values at their rows (with NULLs)
	stage     []S // scratch: a chunk's selected values before widening to decimals
}

func (d *colDecoder[S]) width() int { return int(unsafe.Sizeof(S(0))) }

// errBadPage marks what the own decoder finds wrong in a page. It is not
// format.ErrCorrupt itself: corrupt() adds that and the file's name on
// the way out (it passes errors already wrapping ErrCorrupt through as
// they are, assuming they name the file).
var errBadPage = errors.New("bad page")

// guard runs a call into arrow-go's page reader, which panics on some
// garbage page headers (a data page without its header struct), and
// turns such a panic into errBadPage.
func guard(f func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = corruptf("page reader: %v", v)
		}
	}()
	return f()
}

func corruptf(f string, args ...any) error {
	return fmt.Errorf("%w: "+f, append([]any{errBadPage}, args...)...)
}

func (d *colDecoder[S]) read(pos, n int64, sel []int32, all bool) (arrow.Array, error) {
	if pos < d.row {
		return nil, fmt.Errorf("payload column out of step: at row %d, asked for %d", d.row, pos)
	}
	if err := d.skipTo(pos); err != nil {
		return nil, err
	}
	m := len(sel)
	if all {
		m = int(n)
	}
	if d.kind.kind == pageBytes || d.kind.kind == pageFixed {
		return d.readBytes(n, m, sel, all)
	}
	// The values go straight into the output buffer, or, for decimals,
	// chunk by chunk into a reused stage that one loop then widens into
	// the output (dec).
	buf := memory.NewResizableBuffer(mem)
	var dst []S
	var dec []decimal128.Num
	var bools []byte // pageBool: the output bitmap; the values are staged as 0/1 first
	switch d.kind.kind {
	case pageDec:
		buf.Resize(arrow.Decimal128Traits.BytesRequired(m))
		dec = arrow.Decimal128Traits.CastFromBytes(buf.Bytes())[:m]
	case pageBool:
		buf.Resize(int(bitutil.BytesForBits(int64(m))))
		bools = buf.Bytes()
		clear(bools)
	default:
		buf.Resize(m * d.width())
		if m > 0 {
			dst = unsafe.Slice((*S)(unsafe.Pointer(&buf.Bytes()[0])), m)
		}
	}
	// The validity bitmap is made when the first NULL shows (bitsFor):
	// columns declared nullable often hold none.
	var valid *memory.Buffer
	var bits []byte
	bitsFor := func(j int) []byte {
		if valid == nil {
			valid = memory.NewResizableBuffer(mem)
			valid.Resize(int(bitutil.BytesForBits(int64(m))))
			bits = valid.Bytes()
			clear(bits)
			bitutil.SetBitsTo(bits, 0, int64(j), true)
		}
		return bits
	}
	fail := func(err error) (arrow.Array, error) {
		buf.Release()
		if valid != nil {
			valid.Release()
		}
		return nil, err
	}
	j := 0 // output rows written
	nulls := 0
	si := 0 // next entry of sel
	for r := int64(0); r < n; {
		if d.row == d.pageEnd {
			if err := d.nextPage(); err != nil {
				return fail(err)
			}
		}
		k := int(min(n-r, d.pageEnd-d.row, decodeChunkRows))
		var s []int32
		if !all {
			s, si = selIn(sel, si, r+int64(k))
			if len(s) == 0 {
				if err := d.skipRows(k); err != nil {
					return fail(err)
				}
				r += int64(k)
				continue
			}
		}
		var out []S
		if dec != nil || bools != nil {
			out = grow(&d.stage, max(k, len(s))) // s holds at most k rows, unless it repeats one
		} else {
			out = dst[j:]
		}
		w, nn, err := d.chunk(k, r, s, all, out, bits, j, bitsFor)
		if err != nil {
			return fail(err)
		}
		if dec != nil {
			widenInto(out[:w], dec[j:j+w])
		} else if bools != nil {
			packBools(out[:w], bools, j)
		}
		j += w
		nulls += nn
		r += int64(k)
	}
	if j != m {
		return fail(fmt.Errorf("payload decoder wrote %d rows, want %d", j, m))
	}
	typ := d.kind.typ
	if d.kind.kind == pageDict {
		typ = arrow.PrimitiveTypes.Int32
	}
	data := array.NewData(typ, m, []*memory.Buffer{valid, buf}, nil, nulls, 0)
	buf.Release()
	if valid != nil {
		valid.Release()
	}
	defer data.Release()
	if d.kind.kind == pageDict {
		if d.strings == nil {
			// No page was decoded (no row, or all skipped): the
			// dictionary still comes from the chunk.
			if err := d.ensureDict(); err != nil {
				return nil, err
			}
		}
		ids := array.MakeFromData(data)
		defer ids.Release()
		return array.NewDictionaryArray(d.kind.typ, ids, d.strings), nil
	}
	return array.MakeFromData(data), nil
}

// widenInto widens unscaled integers (as their bits) to decimal128:
// the sign fills the high word, without FromI64's branches.
func widenInto[S uint32 | uint64](in []S, out []decimal128.Num) {
	out = out[:len(in)]
	if unsafe.Sizeof(S(0)) == 4 {
		for i, v := range in {
			x := int64(int32(v))
			out[i] = decimal128.New(x>>63, uint64(x))
		}
		return
	}
	for i, v := range in {
		x := int64(v)
		out[i] = decimal128.New(x>>63, uint64(x))
	}
}

// chunk decodes k rows of the current page, the first being row r of
// the request, into dst: all of them, or those of s (request rows). bits
// (nil: no NULL so far) is the output validity, dst[0] its bit at;
// bitsFor(at) makes it, all valid up to at, when a NULL shows.
// It returns the rows written and how many are NULL.
func (d *colDecoder[S]) chunk(k int, r int64, s []int32, all bool, dst []S, bits []byte, at int, bitsFor func(int) []byte) (int, int, error) {
	var lv []uint32
	nonNull := k
	if d.nullable {
		lv = grow(&d.levels, k)
		if err := d.defs.get(lv); err != nil {
			return 0, 0, err
		}
		nonNull = 0
		for _, l := range lv {
			nonNull += int(l)
		}
	}
	// The chunk's non-NULL values, in order: vals for PLAIN, or ids into
	// the dictionary.
	var vals []S
	var ids []uint32
	if d.dictPlain {
		nb := nonNull * d.width()
		if nb > len(d.plain) {
			return 0, 0, corruptf("PLAIN page holds fewer values than its levels say")
		}
		if nonNull > 0 {
			vals = unsafe.Slice((*S)(unsafe.Pointer(&d.plain[0])), nonNull)
		}
		d.plain = d.plain[nb:]
	} else {
		ids = grow(&d.ids, nonNull)
		if err := d.idx.get(ids); err != nil {
			return 0, 0, err
		}
	}
	d.row += int64(k)
	dict := d.dict
	if nonNull < k {
		// NULLs: lay the values out at their rows first.
		if bits == nil {
			bits = bitsFor(at)
		}
		sp := grow(&d.spaced, k)
		v := 0
		for i, l := range lv {
			if l == 0 {
				sp[i] = 0
				continue
			}
			if vals != nil {
				sp[i] = vals[v]
			} else {
				id := ids[v]
				if int(id) >= len(dict) {
					return 0, 0, badIndex(id, len(dict))
				}
				sp[i] = dict[id]
			}
			v++
		}
		nulls := 0
		if all {
			copy(dst, sp)
			for i, l := range lv {
				if l != 0 {
					setBit(bits, at+i)
				} else {
					nulls++
				}
			}
			return k, nulls, nil
		}
		for t, row := range s {
			i := int(int64(row) - r)
			dst[t] = sp[i]
			if lv[i] != 0 {
				setBit(bits, at+t)
			} else {
				nulls++
			}
		}
		return len(s), nulls, nil
	}
	w := k
	if all {
		if vals != nil {
			copy(dst, vals)
		} else {
			for i, id := range ids {
				if int(id) >= len(dict) {
					return 0, 0, badIndex(id, len(dict))
				}
				dst[i] = dict[id]
			}
		}
	} else {
		w = len(s)
		if vals != nil {
			for t, row := range s {
				dst[t] = vals[int64(row)-r]
			}
		} else {
			for t, row := range s {
				id := ids[int64(row)-r]
				if int(id) >= len(dict) {
					return 0, 0, badIndex(id, len(dict))
				}
				dst[t] = dict[id]
			}
		}
	}
	if bits != nil {
		bitutil.SetBitsTo(bits, int64(at), int64(w), true)
	}
	return w, 0, nil
}

func badIndex(id uint32, n int) error {
	return corruptf("dictionary index %d out of range (dictionary of %d values)", id, n)
}

func setBit(bits []byte, i int) { bits[i>>3] |= 1 << (i & 7) }

// grow returns (*buf)[:n], growing the scratch when it is short.
func grow[T any](buf *[]T, n int) []T {
	if cap(*buf) < n {
		*buf = make([]T, n, max(n, decodeChunkRows))
	}
	return (*buf)[:n]
}

// skipRows steps over k rows of the current page.
func (d *colDecoder[S]) skipRows(k int) error {
	nonNull := k
	if d.nullable {
		var err error
		if nonNull, err = d.defs.countOnes(k, grow(&d.levels, min(k, decodeChunkRows))); err != nil {
			return err
		}
	}
	if d.dictPlain && (d.kind.kind == pageBytes || d.kind.kind == pageFixed) {
		if err := d.skipPlainBytes(nonNull); err != nil {
			return err
		}
	} else if d.dictPlain {
		nb := nonNull * d.width()
		if nb > len(d.plain) {
			return corruptf("PLAIN page holds fewer values than its levels say")
		}
		d.plain = d.plain[nb:]
	} else if err := d.idx.skip(nonNull); err != nil {
		return err
	}
	d.row += int64(k)
	return nil
}

// skipTo moves to row pos: within the current page by skipping values,
// past it by seeking to pos's page (offset index) or by reading on.
func (d *colDecoder[S]) skipTo(pos int64) error {
	for d.row < pos {
		if pos < d.pageEnd {
			return d.skipRows(int(pos - d.row))
		}
		if d.indexed && pos < d.chunkRows {
			if err := guard(func() error { return d.pr.SeekToPageWithRow(pos) }); err != nil {
				return err
			}
			dp, ok := d.pr.Page().(file.DataPage)
			if !ok || dp.FirstRowIndex() < 0 || dp.FirstRowIndex() > pos {
				return corruptf("seeking to row %d did not land on its data page", pos)
			}
			d.row = dp.FirstRowIndex()
			if err := d.startPage(dp); err != nil {
				return err
			}
			continue
		}
		d.row = d.pageEnd // drop what is left of the page
		if err := d.nextPage(); err != nil {
			return err
		}
	}
	return nil
}

// nextPage reads on to the next data page, loading a dictionary page on
// the way.
func (d *colDecoder[S]) nextPage() error {
	for {
		var more bool
		if err := guard(func() error { more = d.pr.Next(); return nil }); err != nil {
			return err
		}
		if !more {
			if err := d.pr.Err(); err != nil {
				return err
			}
			return corruptf("column chunk ends at row %d", d.row)
		}
		switch pg := d.pr.Page().(type) {
		case *file.DictionaryPage:
			if !d.haveDict {
				if err := d.loadDict(pg); err != nil {
					return err
				}
			}
		case file.DataPage:
			if pg.NumValues() == 0 {
				continue
			}
			return d.startPage(pg)
		}
	}
}

// ensureDict loads the chunk's dictionary page if no page has yet.
func (d *colDecoder[S]) ensureDict() error {
	if d.haveDict {
		return nil
	}
	var dp *file.DictionaryPage
	err := guard(func() (err error) { dp, err = d.pr.GetDictionaryPage(); return err })
	if err != nil {
		return err
	}
	if dp == nil {
		return corruptf("dictionary-encoded page in a chunk without a dictionary")
	}
	return d.loadDict(dp)
}

func (d *colDecoder[S]) loadDict(pg *file.DictionaryPage) error {
	if e := parquet.Encoding(pg.Encoding()); e != parquet.Encodings.Plain && e != parquet.Encodings.PlainDict {
		return corruptf("dictionary page encoding %s", e)
	}
	n := int(pg.NumValues())
	b := pg.Data()
	if d.kind.kind == pageDict || d.kind.kind == pageBytes {
		return d.loadStrings(n, b)
	}
	if d.kind.kind == pageFixed {
		return d.loadFixed(n, b)
	}
	if n < 0 || n > len(b)/d.width() {
		return corruptf("dictionary page of %d values holds %d bytes", n, len(b))
	}
	d.dict = make([]S, n)
	if n > 0 {
		copy(d.dict, unsafe.Slice((*S)(unsafe.Pointer(&b[0])), n))
	}
	d.haveDict = true
	return nil
}

// startPage sets up the decoding of data page pg, whose first row is
// d.row.
func (d *colDecoder[S]) startPage(pg file.DataPage) error {
	nv := int64(pg.NumValues())
	data := pg.Data()
	var defs []byte
	switch pg := pg.(type) {
	case *file.DataPageV1:
		if d.nullable {
			if pg.DefinitionLevelEncoding() != parquet.Encodings.RLE {
				return corruptf("definition level encoding %s", pg.DefinitionLevelEncoding())
			}
			if len(data) < 4 {
				return corruptf("data page too short for its definition levels")
			}
			l := binary.LittleEndian.Uint32(data)
			if uint64(l) > uint64(len(data)-4) {
				return corruptf("definition levels of %d bytes in a page of %d", l, len(data))
			}
			defs, data = data[4:4+l], data[4+l:]
		}
	case *file.DataPageV2:
		rl, dl := int(pg.RepetitionLevelByteLen()), int(pg.DefinitionLevelByteLen())
		if rl < 0 || dl < 0 || rl+dl > len(data) {
			return corruptf("levels of %d+%d bytes in a page of %d", rl, dl, len(data))
		}
		if int64(pg.NumRows()) != nv {
			return corruptf("page of %d values and %d rows in a flat column", nv, pg.NumRows())
		}
		defs, data = data[rl:rl+dl], data[rl+dl:]
	default:
		return corruptf("unknown data page %T", pg)
	}
	if d.nullable {
		d.defs.reset(defs, 1)
	}
	if d.kind.kind == pageBool {
		if err := d.startBools(parquet.Encoding(pg.Encoding()), data); err != nil {
			return err
		}
		return d.endPage(nv)
	}
	switch parquet.Encoding(pg.Encoding()) {
	case parquet.Encodings.Plain:
		if d.kind.kind == pageDict {
			return corruptf("PLAIN page in a chunk whose metadata lists dictionary pages only")
		}
		d.dictPlain, d.plain = true, data
	case parquet.Encodings.PlainDict, parquet.Encodings.RLEDict:
		if err := d.ensureDict(); err != nil {
			return err
		}
		if len(data) < 1 || data[0] > 32 {
			return corruptf("dictionary index bit width missing or above 32")
		}
		d.dictPlain = false
		d.idx.reset(data[1:], uint(data[0]))
	default:
		return corruptf("data page encoding %s", pg.Encoding())
	}
	return d.endPage(nv)
}

// endPage notes where the page of nv rows starting at d.row ends.
func (d *colDecoder[S]) endPage(nv int64) error {
	d.pageEnd = d.row + nv
	if d.pageEnd > d.chunkRows {
		return corruptf("pages hold more rows than the column chunk (%d)", d.chunkRows)
	}
	return nil
}

// loadStrings reads a BYTE_ARRAY dictionary page of n values (each a
// 4-byte length and its bytes) into an array of the leaf's value type,
// and makes dict the identity so that decoding yields the indices.
func (d *colDecoder[S]) loadStrings(n int, b []byte) error {
	if n < 0 || n > len(b)/4 {
		return corruptf("dictionary page of %d values holds %d bytes", n, len(b))
	}
	offsets := memory.NewResizableBuffer(mem)
	offsets.Resize(arrow.Int32Traits.BytesRequired(n + 1))
	offs := arrow.Int32Traits.CastFromBytes(offsets.Bytes())
	values := memory.NewResizableBuffer(mem)
	values.Resize(len(b) - 4*n)
	vb := values.Bytes()
	at, end := 0, 0
	for i := range n {
		if at+4 > len(b) {
			offsets.Release()
			values.Release()
			return corruptf("dictionary page ends inside value %d of %d", i, n)
		}
		l := int(binary.LittleEndian.Uint32(b[at:]))
		at += 4
		if l < 0 || l > len(b)-at {
			offsets.Release()
			values.Release()
			return corruptf("dictionary value %d of %d bytes runs past its page", i, l)
		}
		offs[i] = int32(end)
		end += copy(vb[end:], b[at:at+l])
		at += l
	}
	offs[n] = int32(end)
	vt := d.kind.typ
	if dt, ok := vt.(*arrow.DictionaryType); ok {
		vt = dt.ValueType
	}
	data := array.NewData(vt, n, []*memory.Buffer{nil, offsets, values}, nil, 0, 0)
	offsets.Release()
	values.Release()
	d.strings = array.MakeFromData(data)
	data.Release()
	if d.kind.kind == pageBytes {
		// Values are copied out of the dictionary by index.
		d.dictOffs, d.dictBytes = offs, vb
		d.haveDict = true
		return nil
	}
	ident := make([]S, n)
	for i := range ident {
		ident[i] = S(i)
	}
	d.dict, d.haveDict = ident, true
	return nil
}

// selIn is the run of sel from index si of the rows below end, and the
// index after it (sel is ascending).
func selIn(sel []int32, si int, end int64) ([]int32, int) {
	se := si
	for se < len(sel) && int64(sel[se]) < end {
		se++
	}
	return sel[si:se], se
}
