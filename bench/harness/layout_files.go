package harness

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/apache/arrow-go/v18/parquet/schema"
)

// deriveNoDict rewrites every file of src into dst with arrow-go, one row
// group for each of the source's (same lengths), dictionary encoding off
// for every column, decimals kept as integers (the generator's physical
// types), Snappy. The footers are checked afterwards (checkNoDict, and
// sameColumnTypes here).
func deriveNoDict(ctx context.Context, _ Config, src, dst string) error {
	files, err := filepath.Glob(filepath.Join(src, "*.parquet"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no Parquet files in %s", src)
	}
	sort.Strings(files)
	for _, f := range files {
		out := filepath.Join(dst, filepath.Base(f))
		if err := rewriteNoDict(ctx, f, out); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		if err := sameColumnTypes(f, out); err != nil {
			return fmt.Errorf("%s: %w", out, err)
		}
	}
	return nil
}

func rewriteNoDict(ctx context.Context, src, dst string) error {
	pf, err := file.OpenParquetFile(src, false)
	if err != nil {
		return err
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 64 << 10}, memory.DefaultAllocator)
	if err != nil {
		return err
	}
	schema, err := fr.Schema()
	if err != nil {
		return err
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer out.Close()
	props := parquet.NewWriterProperties(
		parquet.WithDictionaryDefault(false),
		parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithStoreDecimalAsInteger(true),
		parquet.WithMaxRowGroupLength(1<<40),
		parquet.WithCreatedBy("drover bench harness (nodict layout), arrow-go"),
	)
	w, err := pqarrow.NewFileWriter(schema, out, props, pqarrow.DefaultWriterProps())
	if err != nil {
		return err
	}
	cols := make([]int, pf.MetaData().Schema.NumColumns())
	for i := range cols {
		cols[i] = i
	}
	for rg := range pf.NumRowGroups() {
		tbl, err := fr.ReadRowGroups(ctx, cols, []int{rg})
		if err != nil {
			w.Close()
			return err
		}
		err = w.WriteTable(tbl, max(tbl.NumRows(), 1))
		tbl.Release()
		if err != nil {
			return err
		}
	}
	return w.Close() // closes out too
}

// sameColumnTypes requires that b has a's columns with a's physical and
// logical types and a's row-group lengths.
func sameColumnTypes(a, b string) error {
	ra, err := file.OpenParquetFile(a, false)
	if err != nil {
		return err
	}
	defer ra.Close()
	rb, err := file.OpenParquetFile(b, false)
	if err != nil {
		return err
	}
	defer rb.Close()
	sa, sb := ra.MetaData().Schema, rb.MetaData().Schema
	if sa.NumColumns() != sb.NumColumns() {
		return fmt.Errorf("%d columns, the source %d", sb.NumColumns(), sa.NumColumns())
	}
	for i := range sa.NumColumns() {
		if x, y := columnType(sa.Column(i)), columnType(sb.Column(i)); x != y || sa.Column(i).Path() != sb.Column(i).Path() {
			return fmt.Errorf("column %d is %s %s, the source's %s %s", i, sb.Column(i).Path(), y, sa.Column(i).Path(), x)
		}
	}
	if ra.NumRowGroups() != rb.NumRowGroups() {
		return fmt.Errorf("%d row groups, the source %d", rb.NumRowGroups(), ra.NumRowGroups())
	}
	for rg := range ra.NumRowGroups() {
		if x, y := ra.MetaData().RowGroup(rg).NumRows(), rb.MetaData().RowGroup(rg).NumRows(); x != y {
			return fmt.Errorf("row group %d has %d rows, the source's %d", rg, y, x)
		}
	}
	return nil
}

// TableShape is how a table's Parquet files are laid out, read from their
// footers.
type TableShape struct {
	Files     int   `json:"files"`
	Rows      int64 `json:"rows"`
	Bytes     int64 `json:"bytes"`
	RowGroups int   `json:"row_groups"`
	// MinGroupRows and MaxGroupRows are the shortest and longest row
	// group.
	MinGroupRows int64 `json:"min_group_rows"`
	MaxGroupRows int64 `json:"max_group_rows"`
	// Codecs are the compression codecs of the column chunks.
	Codecs []string `json:"codecs"`
	// Chunks counts column chunks; DictChunks those with a dictionary page.
	Chunks     int `json:"chunks"`
	DictChunks int `json:"dict_chunks"`
	// DictColumns are the columns with a dictionary page in every chunk
	// (and no plain data page: read as dictionaries by Drover);
	// FallbackColumns have a dictionary page but plain data pages too.
	DictColumns     []string `json:"dict_columns"`
	FallbackColumns []string `json:"fallback_columns,omitempty"`
	// Encodings are the encodings the column chunks list.
	Encodings []string `json:"encodings"`
	// Types maps each column to its physical and logical type.
	Types map[string]string `json:"types"`
}

// readShape reads the footers of files (one table).
func readShape(files []string) (TableShape, error) {
	s := TableShape{Types: map[string]string{}, MinGroupRows: -1}
	codecs, encs := map[string]bool{}, map[string]bool{}
	dictCols, fallbackCols, plainCols := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, f := range files {
		r, err := file.OpenParquetFile(f, false)
		if err != nil {
			return s, fmt.Errorf("%s: %w", f, err)
		}
		md := r.MetaData()
		s.Files++
		s.Rows += r.NumRows()
		s.RowGroups += r.NumRowGroups()
		for i := range md.Schema.NumColumns() {
			c := md.Schema.Column(i)
			s.Types[c.Path()] = columnType(c)
			if dictionaryThroughout(md, i) {
				dictCols[c.Path()] = true
			}
		}
		for rg := range md.NumRowGroups() {
			g := md.RowGroup(rg)
			n := g.NumRows()
			if s.MinGroupRows < 0 || n < s.MinGroupRows {
				s.MinGroupRows = n
			}
			s.MaxGroupRows = max(s.MaxGroupRows, n)
			for i := range md.Schema.NumColumns() {
				cc, err := g.ColumnChunk(i)
				if err != nil {
					r.Close()
					return s, fmt.Errorf("%s: %w", f, err)
				}
				s.Chunks++
				codecs[cc.Compression().String()] = true
				for _, e := range cc.Encodings() {
					encs[e.String()] = true
				}
				if cc.HasDictionaryPage() {
					s.DictChunks++
					fallbackCols[md.Schema.Column(i).Path()] = true
				} else {
					plainCols[md.Schema.Column(i).Path()] = true
				}
			}
		}
		r.Close()
		fi, err := os.Stat(f)
		if err != nil {
			return s, err
		}
		s.Bytes += fi.Size()
	}
	for c := range dictCols {
		if plainCols[c] {
			delete(dictCols, c) // some file lacks a dictionary for it
		}
	}
	for c := range fallbackCols {
		if dictCols[c] {
			delete(fallbackCols, c)
		}
	}
	s.Codecs, s.Encodings = sortedKeys(codecs), sortedKeys(encs)
	s.DictColumns, s.FallbackColumns = sortedKeys(dictCols), sortedKeys(fallbackCols)
	if s.MinGroupRows < 0 {
		s.MinGroupRows = 0
	}
	return s, nil
}

// columnType names a column's physical and logical type.
func columnType(c *schema.Column) string {
	t := c.PhysicalType().String()
	if lt := c.LogicalType(); lt != nil && lt.IsValid() && !lt.IsNone() {
		t += " " + lt.String()
	}
	return t
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
