package harness

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Write stores the report as dir/<date>-layouts-sf<SF>.md and .json and
// returns the paths.
func (r *LayoutReport) Write(dir string) (md, js string, err error) {
	name := r.Date + "-layouts-sf" + strconv.FormatFloat(r.Config.ScaleFactor, 'f', -1, 64)
	return writeReport(dir, name, r, r.Markdown())
}

func (r *LayoutReport) layoutNames() []string {
	names := make([]string, len(r.Layouts))
	for i, lr := range r.Layouts {
		names[i] = lr.Layout.Name
	}
	return names
}

// Markdown renders the report.
func (r *LayoutReport) Markdown() string {
	var b strings.Builder
	c := r.Config
	fmt.Fprintf(&b, "# Drover vs DuckDB on three Parquet layouts: TPC-H SF %g (%s)\n\n", c.ScaleFactor, r.Date)
	fmt.Fprintf(&b, "%s, %d cores, %s; DuckDB %s; %s.\n", r.Machine.CPU, r.Machine.Cores, r.Machine.Go,
		r.Machine.DuckDB, r.Machine.Drover)
	fmt.Fprintf(&b, "The same TPC-H rows (generator seed %d) in the layouts `LAYOUTS=%s` (`make bench LAYOUTS=… SF=%g REPS=%d`, "+
		"tpchbench `-layouts`). Drover `--parallelism %d` (GOMAXPROCS=%d), DuckDB `threads = %d`; each engine runs as its own "+
		"process on the same Parquet files; per query, the layouts in turn; one warm-up run each, then %d timed run(s) "+
		"alternating between the engines; medians. A run counts only if its output, read back, agrees with the other "+
		"engine's (row count and checksum), and every layout's answer must equal the %s layout's.\n\n",
		c.Seed, strings.Join(r.layoutNames(), ","), c.ScaleFactor, c.Reps, c.Threads, c.Threads, c.Threads, c.Reps,
		r.layoutNames()[0])
	b.WriteString("## Layouts\n\n")
	for _, lr := range r.Layouts {
		fmt.Fprintf(&b, "- **%s**: %s.\n", lr.Layout.Name, lr.Layout.Title)
	}
	b.WriteString("\n")
	r.headline(&b)
	r.matrix(&b)
	r.shapeTable(&b)
	for _, lr := range r.Layouts {
		lr.table(&b, c.Threads)
	}
	r.profiles(&b)
	b.WriteString(methodNotes)
	b.WriteString("- The duckdb and nodict layouts are derived from the generator's files once per scale factor and seed and " +
		"cached beside them (`<data>/sf<SF>-seed<seed>-<layout>`); after writing, every table's footers are read back: " +
		"row counts must equal the generator's, the duckdb layout must be one Snappy file of large row groups, the nodict " +
		"layout must have no dictionary page and no dictionary encoding in any column chunk and the generator's physical " +
		"and logical types and row-group lengths.\n")
	if r.Notes != "" {
		b.WriteString("\n" + strings.TrimSpace(r.Notes) + "\n")
	}
	return b.String()
}

// LayoutSummary is one layout's headline numbers over its timed queries.
type LayoutSummary struct {
	Queries, OK    int
	GeoMean, Total float64 // geometric mean of the ratios; ratio of the summed wall times
	Worst          float64
	WorstQuery     string
	// VsFirst is the geometric mean of Drover's wall time here over
	// Drover's on the first layout (same queries).
	VsFirst float64
}

// Summary computes lr's headline numbers; first is the first layout.
func (lr *LayoutRun) Summary(first *LayoutRun) LayoutSummary {
	var s LayoutSummary
	var logSum, logFirst float64
	var nFirst int
	var d, k float64
	for i, q := range lr.Queries {
		s.Queries++
		if !q.OK() {
			continue
		}
		s.OK++
		logSum += math.Log(q.Ratio())
		d += q.Drover.Median.Wall.Seconds()
		k += q.DuckDB.Median.Wall.Seconds()
		if q.Ratio() > s.Worst {
			s.Worst, s.WorstQuery = q.Ratio(), q.Query.Name
		}
		if i < len(first.Queries) && first.Queries[i].OK() {
			logFirst += math.Log(q.Drover.Median.Wall.Seconds() / first.Queries[i].Drover.Median.Wall.Seconds())
			nFirst++
		}
	}
	if s.OK > 0 {
		s.GeoMean, s.Total = math.Exp(logSum/float64(s.OK)), d/k
	}
	if nFirst > 0 {
		s.VsFirst = math.Exp(logFirst / float64(nFirst))
	}
	return s
}

func (r *LayoutReport) headline(b *strings.Builder) {
	first := r.Layouts[0]
	b.WriteString("## Headline: Drover/DuckDB wall time per layout\n\n")
	fmt.Fprintf(b, "| layout | queries timed | geometric mean of ratios | total ratio | worst | Drover time vs the %s layout (geo. mean) |\n", first.Layout.Name)
	b.WriteString("|---|---:|---:|---:|---|---:|\n")
	for _, lr := range r.Layouts {
		s := lr.Summary(first)
		fmt.Fprintf(b, "| %s | %d of %d | **%.2f×** | %.2f× | %.2f× (%s) | %.2f× |\n", lr.Layout.Name, s.OK, s.Queries,
			s.GeoMean, s.Total, s.Worst, s.WorstQuery, s.VsFirst)
	}
	b.WriteString("\ntotal ratio: Drover's summed median wall times over DuckDB's.\n\n")
}

// matrix renders the layout × query ratios and both engines' times.
func (r *LayoutReport) matrix(b *strings.Builder) {
	names := r.layoutNames()
	b.WriteString("## Drover/DuckDB by query and layout\n\n")
	fmt.Fprintf(b, "| query | %s | Drover %s | DuckDB %s |\n", strings.Join(names, " | "),
		strings.Join(names, " | Drover "), strings.Join(names, " | DuckDB "))
	b.WriteString("|---" + strings.Repeat("|---:", 3*len(names)) + "|\n")
	for i, q := range r.Layouts[0].Queries {
		ratios := make([]string, len(r.Layouts))
		dt := make([]string, len(r.Layouts))
		kt := make([]string, len(r.Layouts))
		for j, lr := range r.Layouts {
			ratios[j], dt[j], kt[j] = "failed", "–", "–"
			if i >= len(lr.Queries) || !lr.Queries[i].OK() {
				continue
			}
			c := lr.Queries[i]
			ratios[j] = fmt.Sprintf("**%.2f**", c.Ratio())
			dt[j], kt[j] = secs(c.Drover.Median.Wall), secs(c.DuckDB.Median.Wall)
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", q.Query.Name, strings.Join(ratios, " | "), strings.Join(dt, " | "), strings.Join(kt, " | "))
	}
	b.WriteString("\n")
	b.WriteString("CPU time (user + sys, medians), Drover / DuckDB:\n\n")
	fmt.Fprintf(b, "| query | %s |\n|---%s|\n", strings.Join(names, " | "), strings.Repeat("|---:", len(names)))
	for i, q := range r.Layouts[0].Queries {
		cells := make([]string, len(r.Layouts))
		for j, lr := range r.Layouts {
			cells[j] = "–"
			if i < len(lr.Queries) && lr.Queries[i].OK() {
				c := lr.Queries[i]
				cells[j] = fmt.Sprintf("%.2f / %.2f s", c.Drover.Median.CPU.Seconds(), c.DuckDB.Median.CPU.Seconds())
			}
		}
		fmt.Fprintf(b, "| %s | %s |\n", q.Query.Name, strings.Join(cells, " | "))
	}
	b.WriteString("\n")
}

// shapeTable describes each layout's lineitem (and the others briefly).
func (r *LayoutReport) shapeTable(b *strings.Builder) {
	b.WriteString("## Row-group shape of lineitem (read from the footers)\n\n")
	b.WriteString("| layout | files | row groups | rows per group (min–max) | size | codec | columns read as dictionaries | columns with a dictionary page, then plain pages | column chunks with a dictionary page | encodings listed |\n")
	b.WriteString("|---|---:|---:|---:|---:|---|---|---|---:|---|\n")
	for _, lr := range r.Layouts {
		s, ok := lr.Shapes["lineitem"]
		if !ok {
			continue
		}
		fmt.Fprintf(b, "| %s | %d | %d | %d–%d | %s | %s | %s | %s | %d of %d | %s |\n", lr.Layout.Name, s.Files, s.RowGroups,
			s.MinGroupRows, s.MaxGroupRows, mib(s.Bytes), strings.Join(s.Codecs, ", "), listOrNone(s.DictColumns),
			listOrNone(s.FallbackColumns), s.DictChunks, s.Chunks, strings.Join(s.Encodings, ", "))
	}
	b.WriteString("\nOther tables (files / row groups / size):\n\n")
	b.WriteString("| table | " + strings.Join(r.layoutNames(), " | ") + " |\n|---" + strings.Repeat("|---", len(r.Layouts)) + "|\n")
	for _, t := range tpchTables {
		if t == "lineitem" {
			continue
		}
		cells := make([]string, len(r.Layouts))
		for i, lr := range r.Layouts {
			s := lr.Shapes[t]
			cells[i] = fmt.Sprintf("%d / %d / %s", s.Files, s.RowGroups, mib(s.Bytes))
		}
		fmt.Fprintf(b, "| %s | %s |\n", t, strings.Join(cells, " | "))
	}
	b.WriteString("\n")
	r.typeDiffs(b)
}

// typeDiffs lists columns whose Parquet type differs from the first
// layout's.
func (r *LayoutReport) typeDiffs(b *strings.Builder) {
	first := r.Layouts[0]
	var lines []string
	for _, lr := range r.Layouts[1:] {
		for _, t := range tpchTables {
			a, c := first.Shapes[t].Types, lr.Shapes[t].Types
			for _, col := range sortedKeys(keysOf(a)) {
				if a[col] != c[col] {
					lines = append(lines, fmt.Sprintf("- %s: %s.%s is `%s` (%s: `%s`)", lr.Layout.Name, t, col, c[col], first.Layout.Name, a[col]))
				}
			}
		}
	}
	if len(lines) == 0 {
		fmt.Fprintf(b, "Every column has the same Parquet physical and logical type in all layouts.\n\n")
		return
	}
	fmt.Fprintf(b, "Columns whose Parquet type differs from the %s layout's:\n\n%s\n\n", first.Layout.Name, strings.Join(lines, "\n"))
}

func keysOf(m map[string]string) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// table renders one layout's times and resources.
func (lr *LayoutRun) table(b *strings.Builder, threads int) {
	fmt.Fprintf(b, "## Layout %s (medians; D = Drover, K = DuckDB)\n\n", lr.Layout.Name)
	fmt.Fprintf(b, "| query | Drover | DuckDB | Drover/DuckDB | decode floor, %d threads | Drover/floor | CPU D | CPU K | peak RSS D | peak RSS K | shuffled D | result rows |\n", threads)
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, q := range lr.Queries {
		if !q.OK() {
			fmt.Fprintf(b, "| %s | – | – | **failed**: %s | | | | | | | | |\n", q.Query.Name, oneLine(q.Error))
			continue
		}
		floorN, vsFloor := "–", "–"
		if f := q.Floor; f != nil {
			floorN = secs(f.Parallel)
			vsFloor = fmt.Sprintf("%.1f×", q.Drover.Median.Wall.Seconds()/f.Parallel.Seconds())
		}
		d, k := q.Drover.Median, q.DuckDB.Median
		fmt.Fprintf(b, "| %s | %s | %s | **%.2f** | %s | %s | %s | %s | %s | %s | %s | %d |\n", q.Query.Name,
			secs(d.Wall), secs(k.Wall), q.Ratio(), floorN, vsFloor, secs(d.CPU), secs(k.CPU),
			mib(d.PeakRSS), mib(k.PeakRSS), mib(d.ShuffleBytes), q.Result.Rows)
	}
	b.WriteString("\n")
}

func (r *LayoutReport) profiles(b *strings.Builder) {
	if len(r.Profiles) == 0 {
		return
	}
	b.WriteString("## CPU profiles of the worst cells\n\n")
	b.WriteString("One more, untimed `drover run --cpuprofile` per cell (its answer checked too), read with " +
		"`go tool pprof -top -cum` and `-top` (excerpts).\n\n")
	for _, p := range r.Profiles {
		fmt.Fprintf(b, "### %s on the %s layout (Drover/DuckDB %.2f×)\n\n", p.Query, p.Layout, p.Ratio)
		if p.Error != "" {
			fmt.Fprintf(b, "Profile failed: %s\n\n", oneLine(p.Error))
			continue
		}
		fmt.Fprintf(b, "Profiled run: %s wall, %s CPU.\n\n", secs(p.Wall), secs(p.CPU))
		fmt.Fprintf(b, "```\n$ go tool pprof -top -cum %s-%s.pprof\n%s\n```\n\n", p.Layout, p.Query, p.TopCum)
		fmt.Fprintf(b, "```\n$ go tool pprof -top %s-%s.pprof\n%s\n```\n\n", p.Layout, p.Query, p.Top)
	}
}
