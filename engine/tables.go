package engine

import (
	"context"
	"fmt"
	"io"
	"sync"

	icecat "github.com/apache/iceberg-go/catalog"

	"github.com/drover-etl/drover/commit"
	"github.com/drover-etl/drover/icetable"
	"github.com/drover-etl/drover/jobspec"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// tableFormat is the source and sink format backed by a catalog table.
const tableFormat = "iceberg"

// tables holds what a job's Iceberg sources and sinks need in the process
// that plans and commits it: the catalogs it declares (opened on first
// use), the sources pinned to their snapshots and the resolved sinks.
type tables struct {
	job     *jobspec.Job
	mu      sync.Mutex
	open    map[string]icecat.Catalog
	sources map[string]*icetable.Source
	sinks   map[string]*icetable.Sink
}

func newTables(job *jobspec.Job) *tables {
	return &tables{job: job, open: map[string]icecat.Catalog{},
		sources: map[string]*icetable.Source{}, sinks: map[string]*icetable.Sink{}}
}

// catalog opens the named catalog block once.
func (t *tables) catalog(ctx context.Context, name string) (icecat.Catalog, *jobspec.Catalog, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var decl *jobspec.Catalog
	for _, c := range t.job.Catalogs {
		if c.Name == name {
			decl = c
		}
	}
	if decl == nil {
		return nil, nil, fmt.Errorf("no catalog %q is declared", name)
	}
	if c, ok := t.open[name]; ok {
		return c, decl, nil
	}
	c, err := icetable.Open(ctx, icetable.Config{Name: decl.Name, Type: decl.Type, URI: decl.URI,
		Warehouse: decl.Warehouse, Properties: decl.Properties})
	if err != nil {
		return nil, nil, jobspec.At(decl.Range, err)
	}
	t.open[name] = c
	return c, decl, nil
}

// source pins an iceberg source's table and returns its schema.
func (t *tables) source(ctx context.Context, src *jobspec.Source) (*types.Schema, error) {
	cat, _, err := t.catalog(ctx, src.Catalog)
	if err != nil {
		return nil, err
	}
	ident, err := icetable.ParseIdent(src.Table.Value)
	if err != nil {
		return nil, jobspec.At(src.Table.Range, err)
	}
	s, err := icetable.OpenSource(ctx, cat, ident)
	if err != nil {
		return nil, jobspec.At(src.Table.Range, fmt.Errorf("source %q: %w", src.Name, err))
	}
	schema, err := s.Schema(src.Name)
	if err != nil {
		return nil, jobspec.At(src.Table.Range, fmt.Errorf("source %q: %w", src.Name, err))
	}
	t.mu.Lock()
	t.sources[src.Name] = s
	t.mu.Unlock()
	return schema, nil
}

var sinkModes = map[logical.WriteMode]icetable.Mode{
	logical.ModeAppend: icetable.Append, logical.ModeOverwrite: icetable.Overwrite,
	logical.ModeDynamicOverwrite: icetable.DynamicOverwrite, logical.ModeError: icetable.ErrorIfData,
}

// resolveSinks points every iceberg Write at its table's data directory
// and field ids. Nothing is created yet: a missing table is created when
// the run commits.
func (t *tables) resolveSinks(ctx context.Context, lp *logical.Plan) error {
	for _, w := range lp.Sinks {
		if w.Format != tableFormat {
			continue
		}
		decl := t.sinkDecl(w.Sink)
		cat, catDecl, err := t.catalog(ctx, decl.Catalog)
		if err != nil {
			return err
		}
		ident, err := icetable.ParseIdent(decl.Table.Value)
		if err != nil {
			return jobspec.At(decl.Table.Range, err)
		}
		sk, err := icetable.PrepareSink(ctx, cat, catDecl.Warehouse, ident, w.Schema(), w.PartitionBy, sinkModes[w.Mode])
		if err != nil {
			return jobspec.At(decl.Range, fmt.Errorf("sink %q: %w", w.Sink, err))
		}
		t.sinks[w.Sink] = sk
		w.Format, w.Path, w.PartitionBy = "parquet", sk.DataDir, sk.PartitionBy
		w.Table = &logical.TableSink{Catalog: decl.Catalog, Table: decl.Table.Value, FieldIDs: sk.FieldIDs}
	}
	return nil
}

func (t *tables) sinkDecl(name string) *jobspec.Sink {
	for _, s := range t.job.Sinks {
		if s.Name == name {
			return s
		}
	}
	panic("engine: a Write names sink " + name + ", which the job does not declare")
}

// committers are the driver's hooks, one per iceberg sink.
func (t *tables) committers() map[string]commit.TableCommitter {
	out := map[string]commit.TableCommitter{}
	for name, sk := range t.sinks {
		out[name] = sk
	}
	return out
}

// Close closes the catalogs (their database connections).
func (t *tables) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	for name, c := range t.open {
		if cl, ok := c.(io.Closer); ok {
			cl.Close()
		}
		delete(t.open, name)
	}
	return nil
}

func (t *tables) isSource(name string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.sources[name]
	return ok
}

func (t *tables) sourceOf(name string) *icetable.Source {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.sources[name]
}
