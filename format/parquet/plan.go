package parquetfmt

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/types"
)

// outColumn is one produced column.
type outColumn struct {
	name     string
	target   types.Type
	slot     int // position among the leaves read; absent: the file lacks it
	file     arrow.DataType
	nullable bool
	dict     bool // produced as dictionary<int32, utf8>
}

// plan says what to decode from one file: the leaf columns (each once),
// how they become output columns, and the row groups.
type plan struct {
	url       string
	leaves    []int // Parquet leaf indices in read order
	cols      []outColumn
	schema    *arrow.Schema
	props     pqarrow.ArrowReadProperties
	rowGroups []int
	rowStart  []int64 // file row of each row group's first row
	units     []unit  // the work: row groups or morsels of them, in file order
	batchRows int
	late      *latePlan // nil: no late materialization (latemat.go)
	// ownAll, without late materialization, says how the own page
	// decoder reads each leaf (pagedec.go); nil: pqarrow reads them.
	ownAll []payKind
	// rawDecimal[slot] is the integer type a decimal leaf is read as
	// (decimal_direct.go); nil: as pqarrow decodes it.
	rawDecimal []arrow.DataType
	// buffered: the column chunks are read through buffered streams (see
	// preparePlan), so a seek reads from the page it lands on; otherwise
	// every seek opens a new page reader that reads its whole chunk again.
	buffered bool
	// parallel: a unit's columns are decoded on a goroutine each (set
	// when the units are fewer than the workers). Only the own decoder
	// does it (readColumns, which recovers a panic as an error);
	// pqarrow's Parallel stays off, since a panic in arrow-go on a corrupt
	// page (found by FuzzParquetReader) would kill the process from a
	// goroutine of pqarrow's where nothing can recover it.
	parallel bool
}

// fileColumns maps column names to top-level leaf fields of the file.
type fileColumns struct {
	fields []pqarrow.SchemaField
	exact  map[string]int
	folded map[string]int
	byID   map[int]int // Parquet field id → field (empty: the file has none)
}

func newFileColumns(m *pqarrow.SchemaManifest) *fileColumns {
	fc := &fileColumns{fields: m.Fields, exact: map[string]int{}, folded: map[string]int{}, byID: map[int]int{}}
	for i, f := range m.Fields {
		fc.exact[f.Field.Name] = i
		if _, dup := fc.folded[strings.ToLower(f.Field.Name)]; !dup {
			fc.folded[strings.ToLower(f.Field.Name)] = i
		}
		if id := f.Field.Metadata.FindKey("PARQUET:field_id"); id >= 0 {
			if n, err := strconv.Atoi(f.Field.Metadata.Values()[id]); err == nil && n >= 0 {
				fc.byID[n] = i
			}
		}
	}
	return fc
}

// column finds table column c in the file: by field id when the scan has
// one and the file carries ids, else by name. found says whether the file
// has the column at all (err may still refuse it, e.g. nested).
func (fc *fileColumns) column(ro format.ReadOptions, c int) (sf *pqarrow.SchemaField, found bool, err error) {
	name := ro.Table.Fields[c].Name
	if c < len(ro.FieldIDs) && ro.FieldIDs[c] > 0 && len(fc.byID) > 0 {
		i, ok := fc.byID[ro.FieldIDs[c]]
		if !ok {
			return nil, false, fmt.Errorf("column %q (field id %d) is not in the file", name, ro.FieldIDs[c])
		}
		f := &fc.fields[i]
		if !f.IsLeaf() {
			return nil, true, fmt.Errorf("column %q is nested (%s); Drover reads flat columns only", name, f.Field.Type)
		}
		return f, true, nil
	}
	sf, err = fc.lookup(name)
	return sf, fc.has(name), err
}

// lookup finds the leaf column named name (exactly, else ignoring case).
func (fc *fileColumns) lookup(name string) (*pqarrow.SchemaField, error) {
	i, ok := fc.exact[name]
	if !ok {
		i, ok = fc.folded[strings.ToLower(name)]
	}
	if !ok {
		return nil, fmt.Errorf("column %q is not in the file", name)
	}
	f := &fc.fields[i]
	if !f.IsLeaf() {
		return nil, fmt.Errorf("column %q is nested (%s); Drover reads flat columns only", name, f.Field.Type)
	}
	return f, nil
}

// has reports whether the file has a top-level column named name (nested
// or not).
func (fc *fileColumns) has(name string) bool {
	_, ok := fc.exact[name]
	if !ok {
		_, ok = fc.folded[strings.ToLower(name)]
	}
	return ok
}

// absent is the slot of a column the file lacks: it reads as NULL.
const absent = -1

// newPlan resolves the projection against the file schema.
func newPlan(url string, fc *fileColumns, ro format.ReadOptions) (*plan, error) {
	p := &plan{url: url, batchRows: ro.BatchRows}
	if p.batchRows <= 0 {
		p.batchRows = defaultBatchRows
	}
	p.props.BatchSize = int64(p.batchRows)
	slotOf := map[int]int{}
	missingAsNull, err := parseReadOptions(ro.Options)
	if err != nil {
		return nil, err
	}
	missingAsNull = missingAsNull || ro.MissingAsNull
	for _, c := range projection(ro) {
		tf := ro.Table.Fields[c]
		sf, found, err := fc.column(ro, c)
		if err != nil && missingAsNull && !found {
			// An older file of a dataset that added the column later.
			p.cols = append(p.cols, outColumn{name: tf.Name, target: tf.Type, slot: absent, nullable: true})
			continue
		}
		if err != nil && !found {
			return nil, fmt.Errorf("parquet: %s: %w (a source option missing_columns = \"null\" reads it as NULL)", url, err)
		}
		if err != nil {
			return nil, fmt.Errorf("parquet: %s: %w", url, err)
		}
		slot, ok := slotOf[sf.ColIndex]
		if !ok {
			slot = len(p.leaves)
			slotOf[sf.ColIndex] = slot
			p.leaves = append(p.leaves, sf.ColIndex)
		}
		p.cols = append(p.cols, outColumn{name: tf.Name, target: tf.Type, slot: slot, file: sf.Field.Type, nullable: tf.Nullable})
	}
	return p, nil
}

// defaultBatchRows is the batch size when ReadOptions.BatchRows is 0.
const defaultBatchRows = 64 * 1024

func projection(ro format.ReadOptions) []int {
	if ro.Columns != nil {
		return ro.Columns
	}
	all := make([]int, ro.Table.Len())
	for i := range all {
		all[i] = i
	}
	return all
}

// chooseDictionaries reads string columns as dictionaries where the chosen
// row groups store them dictionary-encoded: the strings are then never
// materialized (PERFORMANCE.md: Q1's flag columns, 0.44 s → 0.27 s).
func (p *plan) chooseDictionaries(md *metadata.FileMetaData) {
	for i := range p.cols {
		c := &p.cols[i]
		if c.target.ID != types.String || c.slot == absent {
			continue
		}
		switch ft := c.file.(type) {
		case *arrow.DictionaryType:
			// The file's stored Arrow schema already says dictionary.
			c.dict = ft.IndexType.ID() == arrow.INT32 && isSmallBinary(ft.ValueType)
		default:
			leaf := p.leaves[c.slot]
			if isSmallBinary(ft) && dictionaryEncoded(md, p.rowGroups, leaf) {
				p.props.SetReadDict(leaf, true)
				c.dict = true
			}
		}
	}
}

func isSmallBinary(t arrow.DataType) bool { return t.ID() == arrow.STRING || t.ID() == arrow.BINARY }

// dictionaryEncoded reports whether the leaf's chunks in rowGroups are
// dictionary-encoded throughout. A writer falls back to plain pages when a
// column's dictionary grows too large (unique comments, names); reading
// such a chunk as a dictionary would hash every plain value into a new
// dictionary, which costs far more than decoding the strings.
func dictionaryEncoded(md *metadata.FileMetaData, rowGroups []int, leaf int) bool {
	any := false
	for _, rg := range rowGroups {
		cc, err := md.RowGroup(rg).ColumnChunk(leaf)
		if err != nil {
			continue
		}
		if hasPlainDataPages(cc) {
			return false
		}
		any = any || chunkHasDictionary(cc)
	}
	return any
}

func chunkHasDictionary(cc *metadata.ColumnChunkMetaData) bool {
	if cc.HasDictionaryPage() {
		return true
	}
	for _, e := range cc.Encodings() {
		if isDictEncoding(e) {
			return true
		}
	}
	return false
}

// hasPlainDataPages reports whether the chunk's page encoding statistics
// (when the writer recorded them) show a data page not dictionary-encoded.
func hasPlainDataPages(cc *metadata.ColumnChunkMetaData) bool {
	const dataPage, dataPageV2 = 0, 3 // parquet.thrift PageType
	for _, st := range cc.EncodingStats() {
		if pt := int32(st.PageType); (pt == dataPage || pt == dataPageV2) && !isDictEncoding(st.Encoding) {
			return true
		}
	}
	return false
}

func isDictEncoding(e parquet.Encoding) bool {
	return e == parquet.Encodings.RLEDict || e == parquet.Encodings.PlainDict
}

// outputSchema is the schema of the produced batches.
func (p *plan) outputSchema() {
	fields := make([]arrow.Field, len(p.cols))
	for i, c := range p.cols {
		t := c.target.Arrow()
		if c.dict {
			t = dictString
		}
		fields[i] = arrow.Field{Name: c.name, Type: t, Nullable: c.nullable}
	}
	p.schema = arrow.NewSchema(fields, nil)
}

// dictString is the type of dictionary-read string columns.
var dictString = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
