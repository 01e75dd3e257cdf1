package harness

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/drover-etl/drover/bench/tpc"
)

// RunTPCLayouts runs the 22 standard TPC-H texts (tpc.TPCH, unmodified)
// on each layout of the generator's data set (tpchbench -suite tpch-std
// -layouts …), one suite result per layout, answers compared as RunTPC
// does. Unlike RunTPC the data is Drover's generator's, not DuckDB's
// dbgen, so that the layouts hold the same rows as the bench suite's.
// progress, if not nil, gets the report so far after every query.
func RunTPCLayouts(ctx context.Context, cfg Config, layouts []Layout, progress func(*TPCReport)) (*TPCReport, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if cfg.TPCCache == "" {
		if cfg.TPCCache, err = tpc.CacheRoot(); err != nil {
			return nil, err
		}
	}
	src, err := ensureData(ctx, cfg)
	if err != nil {
		return nil, err
	}
	work, cleanup, err := workDir(cfg.WorkDir, "drover-bench-tpc-layouts-")
	if err != nil {
		return nil, err
	}
	defer cleanup()
	cmp, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, err
	}
	defer cmp.Close()
	queries, err := suiteQueries(ctx, cfg, tpc.TPCH)
	if err != nil {
		return nil, err
	}
	rep := newTPCReport(ctx, cfg)
	for _, l := range layouts {
		rep.Layouts = append(rep.Layouts, l.Name)
	}
	for _, l := range layouts {
		ld, err := ensureLayout(ctx, cfg, src, l)
		if err != nil {
			return rep, err
		}
		tables := map[string]string{}
		for _, t := range tpchTables {
			tables[t] = ld.Data.ParquetDir(t)
		}
		sr := &SuiteResult{Name: "TPC-H, " + l.Name + " layout", Key: "tpch-" + l.Name, DataDir: ld.Data.Dir,
			Tables: ld.Data.Tables, Source: "`drover tpch-gen`'s rows, " + l.Name + " layout"}
		rep.Suites = append(rep.Suites, sr)
		r := &tpcRun{cfg: cfg, tables: tables, cmp: cmp, work: work, jobs: cfg.JobDir, suite: sr.Key}
		for _, q := range queries {
			res := r.query(ctx, q)
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
			sr.Queries = append(sr.Queries, res)
			if progress != nil {
				progress(rep)
			}
		}
	}
	return rep, nil
}

// writeLayouts stores a RunTPCLayouts report as
// dir/<date>-tpc-layouts-sf<SF>.md and .json.
func (r *TPCReport) writeLayouts(dir string) (md, js string, err error) {
	name := r.Date + "-tpc-layouts-sf" + strconv.FormatFloat(r.Config.ScaleFactor, 'f', -1, 64)
	return writeReport(dir, name, r, r.Markdown())
}

// layoutsMarkdown renders a RunTPCLayouts report.
func (r *TPCReport) layoutsMarkdown() string {
	var b strings.Builder
	c := r.Config
	fmt.Fprintf(&b, "# Drover vs DuckDB: the 22 TPC-H texts on the layouts %s at SF %g (%s)\n\n",
		strings.Join(r.Layouts, ", "), c.ScaleFactor, r.Date)
	fmt.Fprintf(&b, "%s, %d cores, %s; DuckDB %s; %s.\n", r.Machine.CPU, r.Machine.Cores, r.Machine.Go,
		r.Machine.DuckDB, r.Machine.Drover)
	warm := "one warm-up run each (its answer is the one compared), then "
	if !c.Warmup {
		warm = "no warm-up (the first timed run's answer is the one compared); "
	}
	fmt.Fprintf(&b, "`tpchbench -suite tpch-std -layouts %s`: DuckDB's `tpch_queries()` texts, unmodified, on `drover tpch-gen`'s "+
		"rows in each layout (not DuckDB's dbgen data). Drover `--parallelism %d` (GOMAXPROCS=%d), DuckDB `threads = %d`, each engine "+
		"its own process on the same Parquet files; %s%d timed run(s) per engine alternating between the engines; medians; %s per run.\n\n",
		strings.Join(r.Layouts, ","), c.Threads, c.Threads, c.Threads, warm, c.Reps, c.Timeout)
	for _, l := range Layouts {
		if slices.Contains(r.Layouts, l.Name) {
			fmt.Fprintf(&b, "- **%s**: %s.\n", l.Name, l.Title)
		}
	}
	b.WriteString("\n")
	r.summary(&b)
	r.worst(&b, 10)
	for _, s := range r.Suites {
		s.table(&b)
	}
	b.WriteString(tpcMethodNotes)
	b.WriteString("- Here the data is not dbgen's: every suite above runs on `drover tpch-gen`'s rows, in the layout it names " +
		"(see the layouts report of the bench suite for their row-group shapes).\n")
	if r.Notes != "" {
		b.WriteString("\n" + strings.TrimSpace(r.Notes) + "\n")
	}
	return b.String()
}
