package tpch

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Config says what to generate and where.
type Config struct {
	// Dir is the output root (a local path or a storage URL); table t in
	// format f goes to Dir/f/t/part-NNNNN.ext.
	Dir string
	// ScaleFactor scales every table but nation and region (1: ~1 GB).
	ScaleFactor float64
	// Seed selects the random streams: same seed and scale factor, same
	// files.
	Seed uint64
	// Formats lists the formats to write (default parquet and csv).
	Formats []string
	// Tables lists the tables to write (default all).
	Tables []string
	// FileBytes is the size at which a table's file is closed and the
	// next one started (default 128 MiB).
	FileBytes int64
	// RowGroupRows is the Parquet row-group length (default 122,880, as
	// DuckDB and Spark-era writers use).
	RowGroupRows int64
	// Workers generate chunks concurrently (default GOMAXPROCS); the
	// output does not depend on it.
	Workers int
}

// Defaults for Config.
const (
	DefaultFileBytes    = 128 << 20
	DefaultRowGroupRows = 122_880
)

// chunkRows is how many rows of a family's first table one chunk holds.
// It is part of the output's definition: changing it changes the data.
const chunkRows = 16_384

// generator holds what every chunk needs.
type generator struct {
	n      counts
	clerks int64
	pool   textPool
	mem    memory.Allocator
}

// family is a set of tables generated together (orders with their line
// items, parts with their suppliers), chunk by chunk.
type family struct {
	tables []string
	rows   func(counts) int64
	gen    func(g *generator, r *rand.Rand, first, last int64) []arrow.RecordBatch
}

var families = []family{
	{tables: []string{Region}, rows: func(counts) int64 { return 1 }, gen: (*generator).genRegions},
	{tables: []string{Nation}, rows: func(counts) int64 { return 1 }, gen: (*generator).genNations},
	{tables: []string{Supplier}, rows: func(c counts) int64 { return c.suppliers }, gen: (*generator).genSuppliers},
	{tables: []string{Customer}, rows: func(c counts) int64 { return c.customers }, gen: (*generator).genCustomers},
	{tables: []string{Part, PartSupp}, rows: func(c counts) int64 { return c.parts }, gen: (*generator).genParts},
	{tables: []string{Orders, Lineitem}, rows: func(c counts) int64 { return c.orders }, gen: (*generator).genOrders},
}

// Generate writes the tables and reports what it wrote.
func Generate(ctx context.Context, cfg Config) (*Summary, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	g := &generator{
		n:      countsAt(cfg.ScaleFactor),
		clerks: max(int64(cfg.ScaleFactor*1000), 1),
		pool:   newTextPool(cfg.Seed),
		mem:    memory.DefaultAllocator,
	}
	sum := &Summary{ScaleFactor: cfg.ScaleFactor, Seed: cfg.Seed}
	for _, fam := range families {
		if !slices.ContainsFunc(fam.tables, func(t string) bool { return slices.Contains(cfg.Tables, t) }) {
			continue
		}
		ts, err := g.generateFamily(ctx, cfg, fam)
		if err != nil {
			return nil, err
		}
		sum.Tables = append(sum.Tables, ts...)
	}
	return sum, nil
}

func (c Config) withDefaults() (Config, error) {
	if c.ScaleFactor <= 0 {
		return c, fmt.Errorf("tpch: scale factor must be positive, got %g", c.ScaleFactor)
	}
	if len(c.Formats) == 0 {
		c.Formats = []string{"parquet", "csv"}
	}
	if len(c.Tables) == 0 {
		c.Tables = Tables
	}
	for _, t := range c.Tables {
		if _, ok := Schemas[t]; !ok {
			return c, fmt.Errorf("tpch: unknown table %q (want %s)", t, strings.Join(Tables, ", "))
		}
	}
	if c.FileBytes <= 0 {
		c.FileBytes = DefaultFileBytes
	}
	if c.RowGroupRows <= 0 {
		c.RowGroupRows = DefaultRowGroupRows
	}
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	return c, nil
}

// generateFamily generates a family's chunks concurrently and writes them
// in chunk order to every selected table and format.
func (g *generator) generateFamily(ctx context.Context, cfg Config, fam family) ([]TableSummary, error) {
	outs, err := openOutputs(ctx, cfg, fam.tables)
	if err != nil {
		return nil, err
	}
	rows := fam.rows(g.n)
	chunks := int((rows + chunkRows - 1) / chunkRows)
	salt := familySalt(fam.tables[0])
	gen := func(i int) []arrow.RecordBatch {
		r := rand.New(rand.NewPCG(cfg.Seed, salt+uint64(i)))
		first := int64(i) * chunkRows
		return fam.gen(g, r, first, min(first+chunkRows, rows))
	}
	err = ordered(ctx, chunks, cfg.Workers, gen, func(recs []arrow.RecordBatch) error {
		defer releaseAll(recs)
		for _, o := range outs {
			if err := o.write(ctx, recs[o.index]); err != nil {
				return err
			}
		}
		return nil
	})
	return closeOutputs(outs, err)
}

// familySalt separates the random streams of the families.
func familySalt(table string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(table))
	return h.Sum64()
}

func releaseAll(recs []arrow.RecordBatch) {
	for _, r := range recs {
		r.Release()
	}
}
