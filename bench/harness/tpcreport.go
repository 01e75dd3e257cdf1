package harness

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// TPCReport is one run of the standard suites.
type TPCReport struct {
	Date    string         `json:"date"`
	Machine Machine        `json:"machine"`
	Config  TPCSettings    `json:"config"`
	Suites  []*SuiteResult `json:"suites"`
	// Layouts, when set, says the suites are the TPC-H texts on these
	// layouts of the generator's data (RunTPCLayouts).
	Layouts []string `json:"layouts,omitempty"`
	// Notes is Markdown appended to the report (the analysis).
	Notes string `json:"notes,omitempty"`
}

// TPCSettings are the settings that shape the numbers.
type TPCSettings struct {
	ScaleFactor float64 `json:"scale_factor"`
	Reps        int     `json:"reps"`
	Warmup      bool    `json:"warmup"`
	Threads     int     `json:"threads"`
	Timeout     string  `json:"timeout"`
}

func newTPCReport(ctx context.Context, cfg Config) *TPCReport {
	return &TPCReport{
		Date: time.Now().Format("2006-01-02"),
		Machine: Machine{CPU: cpuModel(), Cores: runtime.NumCPU(), Go: runtime.Version(),
			DuckDB: duckDBVersion() + " (duckdb-go v2.10505.0)", Drover: droverVersion(ctx, cfg.Drover)},
		Config: TPCSettings{ScaleFactor: cfg.ScaleFactor, Reps: cfg.Reps, Warmup: !cfg.NoWarmup,
			Threads: cfg.Threads, Timeout: cfg.Timeout.String()},
	}
}

// SuiteTotals sums a suite's queries that both engines ran and agreed on.
type SuiteTotals struct {
	Queries, OK, Wrong, Failed int
	Drover, DuckDB             time.Duration
	DroverCPU, DuckDBCPU       time.Duration
	// GeoMean is the geometric mean of the per-query ratios.
	GeoMean float64
	// MaxRSS is Drover's largest peak RSS over the queries.
	MaxRSS int64
}

// Totals computes the suite's totals.
func (s *SuiteResult) Totals() SuiteTotals {
	var t SuiteTotals
	var logSum float64
	for _, q := range s.Queries {
		t.Queries++
		switch {
		case q.OK():
			t.OK++
			t.Drover += q.Drover.Median.Wall
			t.DuckDB += q.DuckDB.Median.Wall
			t.DroverCPU += q.Drover.Median.CPU
			t.DuckDBCPU += q.DuckDB.Median.CPU
			t.MaxRSS = max(t.MaxRSS, q.Drover.Median.PeakRSS)
			logSum += math.Log(q.Ratio())
		case q.Status == StatusWrong || q.Status == StatusUnstable:
			t.Wrong++
		default:
			t.Failed++
		}
	}
	if t.OK > 0 {
		t.GeoMean = math.Exp(logSum / float64(t.OK))
	}
	return t
}

// Write stores the report as dir/<date>-tpc-sf<SF>.md and .json and
// returns the paths.
func (r *TPCReport) Write(dir string) (md, js string, err error) {
	if len(r.Layouts) > 0 {
		return r.writeLayouts(dir)
	}
	name := r.Date + "-tpc-sf" + strconv.FormatFloat(r.Config.ScaleFactor, 'f', -1, 64)
	return writeReport(dir, name, r, r.Markdown())
}

// Markdown renders the report.
func (r *TPCReport) Markdown() string {
	if len(r.Layouts) > 0 {
		return r.layoutsMarkdown()
	}
	var b strings.Builder
	c := r.Config
	names := make([]string, len(r.Suites))
	for i, s := range r.Suites {
		names[i] = s.Name
	}
	fmt.Fprintf(&b, "# Drover vs DuckDB: %s at SF %g, standard query texts (%s)\n\n", strings.Join(names, " and "), c.ScaleFactor, r.Date)
	fmt.Fprintf(&b, "%s, %d cores, %s; DuckDB %s; %s.\n", r.Machine.CPU, r.Machine.Cores, r.Machine.Go,
		r.Machine.DuckDB, r.Machine.Drover)
	warm := "one warm-up run each (its answer is the one compared), then "
	if !c.Warmup {
		warm = "no warm-up (the first timed run's answer is the one compared); "
	}
	fmt.Fprintf(&b, "Drover `--parallelism %d` (GOMAXPROCS=%d), DuckDB `threads = %d`, each engine its own process on the same "+
		"Parquet files; %s%d timed run(s) per engine alternating between the engines; medians; %s per run.\n\n",
		c.Threads, c.Threads, c.Threads, warm, c.Reps, c.Timeout)
	r.summary(&b)
	r.worst(&b, 10)
	for _, s := range r.Suites {
		s.table(&b)
	}
	b.WriteString(tpcMethodNotes)
	if r.Notes != "" {
		b.WriteString("\n" + strings.TrimSpace(r.Notes) + "\n")
	}
	return b.String()
}

func (r *TPCReport) summary(b *strings.Builder) {
	b.WriteString("## Totals\n\n")
	b.WriteString("| suite | queries | agree | wrong | failed | Drover total | DuckDB total | total ratio | geometric mean of ratios | CPU total D | CPU total K | Drover max peak RSS |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range r.Suites {
		t := s.Totals()
		ratio := "–"
		if t.DuckDB > 0 {
			ratio = fmt.Sprintf("**%.2f×**", t.Drover.Seconds()/t.DuckDB.Seconds())
		}
		fmt.Fprintf(b, "| %s | %d | %d | %d | %d | %s | %s | %s | **%.2f×** | %s | %s | %s |\n", s.Name, t.Queries, t.OK, t.Wrong, t.Failed,
			secs(t.Drover), secs(t.DuckDB), ratio, t.GeoMean, secs(t.DroverCPU), secs(t.DuckDBCPU), mib(t.MaxRSS))
	}
	b.WriteString("\nTotals and means cover the queries both engines ran with agreeing answers (column agree); " +
		"the others are listed per query below with their outcome.\n\n")
}

// worst lists the n queries with the largest ratios over all suites.
func (r *TPCReport) worst(b *strings.Builder, n int) {
	type entry struct {
		suite string
		q     *TPCQueryResult
	}
	var all []entry
	for _, s := range r.Suites {
		for _, q := range s.Queries {
			if q.OK() {
				all = append(all, entry{s.Name, q})
			}
		}
	}
	if len(all) == 0 {
		return
	}
	slices.SortFunc(all, func(a, b entry) int { return -cmpFloat(a.q.Ratio(), b.q.Ratio()) })
	fmt.Fprintf(b, "## The %d largest ratios\n\n| suite | query | Drover | DuckDB | ratio | Drover − DuckDB |\n|---|---|---:|---:|---:|---:|\n", min(n, len(all)))
	for _, e := range all[:min(n, len(all))] {
		d, k := e.q.Drover.Median.Wall, e.q.DuckDB.Median.Wall
		fmt.Fprintf(b, "| %s | %s | %s | %s | **%.1f×** | %s |\n", e.suite, e.q.Name, secs(d), secs(k), e.q.Ratio(), secs(d-k))
	}
	b.WriteString("\n")
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (s *SuiteResult) table(b *strings.Builder) {
	fmt.Fprintf(b, "## %s per query (medians; D = Drover, K = DuckDB)\n\n", s.Name)
	b.WriteString("| query | outcome | Drover | DuckDB | Drover/DuckDB | CPU D | CPU K | peak RSS D | peak RSS K | shuffled D | rows |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, q := range s.Queries {
		d, k := q.Drover.Median, q.DuckDB.Median
		dw, dc, dr, ds := "–", "–", "–", "–"
		if len(q.Drover.Samples) > 0 {
			dw, dc, dr, ds = secs(d.Wall), secs(d.CPU), mib(d.PeakRSS), mib(d.ShuffleBytes)
		}
		kw, kc, kr := "–", "–", "–"
		if len(q.DuckDB.Samples) > 0 {
			kw, kc, kr = secs(k.Wall), secs(k.CPU), mib(k.PeakRSS)
		}
		ratio := "–"
		if q.OK() {
			ratio = fmt.Sprintf("**%.2f**", q.Ratio())
		}
		outcome := q.Status
		if !q.OK() {
			outcome = "**" + q.Status + "**: " + oneLine(q.Message)
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |\n", q.Name, outcome, dw, kw, ratio, dc, kc, dr, kr, ds, q.Rows)
	}
	b.WriteString("\n")
	if notes := s.notes(); notes != "" {
		b.WriteString(notes + "\n")
	}
	s.dataTable(b)
}

// notes lists the comparison's relaxations per query.
func (s *SuiteResult) notes() string {
	var sb strings.Builder
	for _, q := range s.Queries {
		for _, n := range q.Notes {
			fmt.Fprintf(&sb, "- %s: %s\n", q.Name, n)
		}
	}
	return sb.String()
}

func (s *SuiteResult) dataTable(b *strings.Builder) {
	source := "DuckDB's generator, one Parquet file per table"
	if s.Source != "" {
		source = s.Source
	}
	fmt.Fprintf(b, "%s data (%s, in `%s`):\n\n", s.Name, source, s.DataDir)
	b.WriteString("| table | rows | row groups | size |\n|---|---:|---:|---:|\n")
	names := make([]string, 0, len(s.Tables))
	for t := range s.Tables {
		names = append(names, t)
	}
	slices.SortFunc(names, func(a, b string) int {
		if d := s.Tables[b].Rows - s.Tables[a].Rows; d != 0 {
			return int(d)
		}
		return strings.Compare(a, b)
	})
	for _, t := range names {
		st := s.Tables[t]
		fmt.Fprintf(b, "| %s | %d | %d | %s |\n", t, st.Rows, st.RowGroups, mib(st.Bytes))
	}
	b.WriteString("\n")
}

const tpcMethodNotes = `## How it was measured

- ` + "`bench/cmd/tpchbench -suite tpch-std,tpcds`" + ` (make bench-tpc). The query texts are DuckDB's
  ` + "`tpch_queries()`" + ` and ` + "`tpcds_queries()`" + `, unmodified; the data is DuckDB's ` + "`dbgen`/`dsdgen`" + ` exported
  to Parquet (the conformance suite's cache, package bench/tpc).
- Drover runs each text as the one ` + "`sql`" + ` view of a job with a Parquet source per table and a Parquet
  sink (` + "`bin/drover run`" + `, the job file of ` + "`tpc.JobText`" + `); DuckDB runs it as ` + "`COPY (...) TO ... (FORMAT parquet)`" + `
  over ` + "`read_parquet`" + ` views, in a child process of the harness. Wall time is process start to exit; CPU from
  rusage; peak RSS is each process's own VmHWM; shuffled is what Drover's map stages wrote.
- Answers are compared as the conformance suite compares them (` + "`conformance.CompareFiles`" + `): values
  normalized, numbers within 1e-6 relative, rows as multisets, the ORDER BY key sequence checked, ties
  at a LIMIT accepted. Timed runs must reproduce the checked run's row count.
`
