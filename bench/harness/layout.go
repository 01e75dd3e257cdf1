package harness

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Layout is one way of writing the same TPC-H tables as Parquet. Every
// layout holds the rows of Drover's generator (same seed, same order);
// only how they are laid out in the files differs, so the answers must
// not.
type Layout struct {
	// Name is what LAYOUTS= and -layouts take.
	Name string `json:"name"`
	// Title says in one line how the files are written.
	Title string `json:"title"`
	// derive writes one table's files into dst from the generator's files
	// in src (nil: the layout is the generator's files themselves).
	derive func(ctx context.Context, cfg Config, src, dst string) error `json:"-"`
	// check fails when a table's files are not laid out as the layout
	// promises (read back from the footers after writing).
	check func(table string, s TableShape) error `json:"-"`
}

// DuckDBRowGroupRows is the row-group length of the duckdb layout: what
// users who COPY to Parquet with a large ROW_GROUP_SIZE get (DuckDB's own
// default is 122,880 rows; Spark writes 128 MB row groups).
const DuckDBRowGroupRows = 1 << 20

// Layouts are the file layouts the suite can run on, in report order.
var Layouts = []Layout{
	{
		Name:  "drover",
		Title: "`drover tpch-gen`: Snappy, row groups of 122,880 rows, files of ~128 MiB, dictionary only for columns whose first batch is ≤90% distinct",
	},
	{
		Name: "duckdb",
		Title: fmt.Sprintf("DuckDB `COPY … (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE %d)`: one file per table, "+
			"1 M-row groups, DuckDB's encodings (dictionary where it pays)", DuckDBRowGroupRows),
		derive: deriveDuckDB,
		check:  checkDuckDB,
	},
	{
		Name: "nodict",
		Title: "the generator's files rewritten by arrow-go with dictionary encoding off (`WithDictionaryDefault(false)`): " +
			"same files, row groups and physical types, Snappy, PLAIN pages only",
		derive: deriveNoDict,
		check:  checkNoDict,
	},
}

// LayoutNames lists the names of Layouts.
func LayoutNames() []string {
	names := make([]string, len(Layouts))
	for i, l := range Layouts {
		names[i] = l.Name
	}
	return names
}

// SelectLayouts picks layouts by name, in the order given; duplicates
// and unknown names are errors.
func SelectLayouts(names []string) ([]Layout, error) {
	var out []Layout
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if seen[n] {
			return nil, fmt.Errorf("layout %q given twice", n)
		}
		seen[n] = true
		found := false
		for _, l := range Layouts {
			if l.Name == n {
				out, found = append(out, l), true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("unknown layout %q (want some of %s)", n, strings.Join(LayoutNames(), ", "))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no layout selected (want some of %s)", strings.Join(LayoutNames(), ", "))
	}
	return out, nil
}

// tpchTables are the tables every layout holds.
var tpchTables = []string{"region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem"}

// LayoutData is one layout's copy of the data set.
type LayoutData struct {
	Layout Layout   `json:"layout"`
	Data   *Dataset `json:"data"`
	// Shapes describes each table's files as read back from the footers.
	Shapes map[string]TableShape `json:"shapes"`
}

// ensureLayout returns the layout's copy of the generator's data set src,
// writing it when it is missing (cached beside src, per scale factor,
// seed and layout; written into a temporary directory renamed into place,
// so an interrupted run leaves nothing half-written behind). Every table
// is checked against the layout's promise and against src's row counts.
func ensureLayout(ctx context.Context, cfg Config, src *Dataset, l Layout) (*LayoutData, error) {
	ds := src
	if l.derive != nil {
		dir := src.Dir + "-" + l.Name
		if _, err := os.Stat(filepath.Join(dir, dataMarker)); err != nil {
			if err := writeLayout(ctx, cfg, src, l, dir); err != nil {
				return nil, fmt.Errorf("layout %s: %w", l.Name, err)
			}
		}
		ds = &Dataset{Dir: dir, ScaleFactor: src.ScaleFactor, Seed: src.Seed, Tables: map[string]TableStats{}}
		for _, t := range tpchTables {
			st, err := ds.stats(t)
			if err != nil {
				return nil, fmt.Errorf("layout %s: %w", l.Name, err)
			}
			ds.Tables[t] = st
		}
	}
	ld := &LayoutData{Layout: l, Data: ds, Shapes: map[string]TableShape{}}
	for _, t := range tpchTables {
		files, err := ds.files(t)
		if err != nil {
			return nil, fmt.Errorf("layout %s: %w", l.Name, err)
		}
		s, err := readShape(files)
		if err != nil {
			return nil, fmt.Errorf("layout %s: %s: %w", l.Name, t, err)
		}
		if s.Rows != src.Tables[t].Rows {
			return nil, fmt.Errorf("layout %s: %s has %d rows, the generator's %d", l.Name, t, s.Rows, src.Tables[t].Rows)
		}
		if l.check != nil {
			if err := l.check(t, s); err != nil {
				return nil, fmt.Errorf("layout %s: %s: %w", l.Name, t, err)
			}
		}
		ld.Shapes[t] = s
	}
	return ld, nil
}

// writeLayout derives every table of src into dir.
func writeLayout(ctx context.Context, cfg Config, src *Dataset, l Layout, dir string) error {
	cfg.logf("writing the %s layout of %s into %s", l.Name, src.Dir, dir)
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	tmp := dir + ".writing"
	if err := os.RemoveAll(tmp); err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for _, t := range tpchTables {
		dst := filepath.Join(tmp, "parquet", t)
		if err := os.MkdirAll(dst, 0o755); err != nil {
			return err
		}
		if err := l.derive(ctx, cfg, src.ParquetDir(t), dst); err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
	}
	marker := fmt.Sprintf("layout %s of %s: %s\n", l.Name, src.Dir, l.Title)
	if err := os.WriteFile(filepath.Join(tmp, dataMarker), []byte(marker), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, dir)
}

// deriveDuckDB has DuckDB copy the table (in file and row order, as
// preserve_insertion_order keeps it) into one file of 1 M-row groups.
func deriveDuckDB(ctx context.Context, cfg Config, src, dst string) error {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, s := range []string{
		"SET threads = " + strconv.Itoa(cfg.Threads),
		"SET preserve_insertion_order = true",
		fmt.Sprintf("COPY (SELECT * FROM read_parquet(%s)) TO %s (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE %d)",
			quote(filepath.Join(src, "*.parquet")), quote(filepath.Join(dst, "data.parquet")), DuckDBRowGroupRows),
	} {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

// checkDuckDB requires one Snappy file whose row groups (all but the
// last) are far longer than the generator's.
func checkDuckDB(table string, s TableShape) error {
	if s.Files != 1 {
		return fmt.Errorf("%d files, want 1", s.Files)
	}
	if len(s.Codecs) != 1 || s.Codecs[0] != "SNAPPY" {
		return fmt.Errorf("codecs %v, want SNAPPY", s.Codecs)
	}
	if s.RowGroups > 1 && s.MaxGroupRows < 4*122880 {
		return fmt.Errorf("largest row group has %d rows: DuckDB did not write large row groups", s.MaxGroupRows)
	}
	return nil
}

// checkNoDict requires that no column chunk has a dictionary page or a
// dictionary-encoded data page.
func checkNoDict(table string, s TableShape) error {
	if s.DictChunks > 0 {
		return fmt.Errorf("%d of %d column chunks have a dictionary page", s.DictChunks, s.Chunks)
	}
	for _, e := range s.Encodings {
		if strings.Contains(e, "DICT") {
			return fmt.Errorf("a column chunk lists encoding %s", e)
		}
	}
	return nil
}
