package harness

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Report is one run of the suite.
type Report struct {
	Date    string         `json:"date"`
	Machine Machine        `json:"machine"`
	Config  ReportSettings `json:"config"`
	Data    *Dataset       `json:"data"`
	Queries []*QueryResult `json:"queries"`
	// Notes is Markdown appended to the report (what was changed, what
	// it gained).
	Notes string `json:"notes,omitempty"`
}

// Machine describes where the suite ran.
type Machine struct {
	CPU    string `json:"cpu"`
	Cores  int    `json:"cores"`
	Go     string `json:"go"`
	DuckDB string `json:"duckdb"`
	Drover string `json:"drover"`
}

// ReportSettings are the settings that shape the numbers.
type ReportSettings struct {
	ScaleFactor float64 `json:"scale_factor"`
	Seed        uint64  `json:"seed"`
	Reps        int     `json:"reps"`
	Threads     int     `json:"threads"`
}

func newReport(ctx context.Context, cfg Config, ds *Dataset) *Report {
	return &Report{
		Date: time.Now().Format("2006-01-02"),
		Machine: Machine{CPU: cpuModel(), Cores: runtime.NumCPU(), Go: runtime.Version(),
			DuckDB: duckDBVersion() + " (duckdb-go v2.10505.0)", Drover: droverVersion(ctx, cfg.Drover)},
		Config: ReportSettings{ScaleFactor: cfg.ScaleFactor, Seed: cfg.Seed, Reps: cfg.Reps, Threads: cfg.Threads},
		Data:   ds,
	}
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func droverVersion(ctx context.Context, bin string) string {
	out, err := exec.CommandContext(ctx, bin, "version").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
}

// Write stores the report as dir/<date>.md and dir/<date>.json (with the
// scale factor in the name when it is not 1) and returns the paths.
func (r *Report) Write(dir string) (md, js string, err error) {
	name := r.Date
	if r.Config.ScaleFactor != 1 {
		name += "-sf" + strconv.FormatFloat(r.Config.ScaleFactor, 'f', -1, 64)
	}
	return writeReport(dir, name, r, r.Markdown())
}

// writeReport stores v as dir/name.json and markdown as dir/name.md and
// returns the two paths.
func writeReport(dir, name string, v any, markdown string) (md, js string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", err
	}
	md, js = filepath.Join(dir, name+".md"), filepath.Join(dir, name+".json")
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return "", "", err
	}
	if err := os.WriteFile(js, append(b, '\n'), 0o644); err != nil {
		return "", "", err
	}
	return md, js, os.WriteFile(md, []byte(markdown), 0o644)
}

// Markdown renders the report.
func (r *Report) Markdown() string {
	var b strings.Builder
	c := r.Config
	fmt.Fprintf(&b, "# Drover vs DuckDB: TPC-H SF %g (%s)\n\n", c.ScaleFactor, r.Date)
	fmt.Fprintf(&b, "%s, %d cores, %s; DuckDB %s; %s.\n", r.Machine.CPU, r.Machine.Cores, r.Machine.Go,
		r.Machine.DuckDB, r.Machine.Drover)
	fmt.Fprintf(&b, "Drover `--parallelism %d` (GOMAXPROCS=%d), DuckDB `threads = %d`; each engine runs as its own "+
		"process on the same Parquet files; one warm-up run each, then %d timed runs alternating between the "+
		"engines; medians. A run counts only if its output, read back, agrees with the other engine's "+
		"(row count and checksum).\n\n", c.Threads, c.Threads, c.Threads, c.Reps)
	r.timeTable(&b)
	r.resourceTable(&b)
	r.dataTable(&b)
	b.WriteString(methodNotes)
	if r.Notes != "" {
		b.WriteString("\n" + strings.TrimSpace(r.Notes) + "\n")
	}
	return b.String()
}

func (r *Report) timeTable(b *strings.Builder) {
	t := r.Config.Threads
	b.WriteString("## Wall time (median)\n\n")
	fmt.Fprintf(b, "| query | Drover | DuckDB | Drover/DuckDB | decode floor, 1 thread | decode floor, %d threads | Drover/floor | result rows |\n", t)
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, q := range r.Queries {
		if !q.OK() {
			fmt.Fprintf(b, "| %s | – | – | **failed**: %s | | | | |\n", q.Query.Name, oneLine(q.Error))
			continue
		}
		floor1, floorN, vsFloor := "–", "–", "–"
		if f := q.Floor; f != nil {
			floor1, floorN = secs(f.Single), secs(f.Parallel)
			vsFloor = fmt.Sprintf("%.1f×", q.Drover.Median.Wall.Seconds()/f.Parallel.Seconds())
		}
		fmt.Fprintf(b, "| %s | %s | %s | **%.2f** | %s | %s | %s | %d |\n", q.Query.Name,
			secs(q.Drover.Median.Wall), secs(q.DuckDB.Median.Wall), q.Ratio(), floor1, floorN, vsFloor, q.Result.Rows)
	}
	b.WriteString("\n")
	for _, q := range r.Queries {
		fmt.Fprintf(b, "- **%s**: %s", q.Query.Name, q.Query.Title)
		if len(q.Query.DroverArgs) > 0 {
			fmt.Fprintf(b, " (Drover `%s`)", strings.Join(q.Query.DroverArgs, " "))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

func (r *Report) resourceTable(b *strings.Builder) {
	b.WriteString("## Resources (medians; D = Drover, K = DuckDB)\n\n")
	b.WriteString("| query | CPU D | CPU K | peak RSS D | peak RSS K | rows/s/core D | rows/s/core K | read D | read K | shuffled D |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, q := range r.Queries {
		if !q.OK() {
			continue
		}
		d, k := q.Drover.Median, q.DuckDB.Median
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", q.Query.Name,
			secs(d.CPU), secs(k.CPU), mib(d.PeakRSS), mib(k.PeakRSS),
			perCore(q.InputRows, d.Wall, r.Config.Threads), perCore(q.InputRows, k.Wall, r.Config.Threads),
			mib(d.BytesRead), mib(k.BytesRead), mib(d.ShuffleBytes))
	}
	b.WriteString("\nrows/s/core: rows of the tables the query reads ÷ wall time ÷ threads. read: bytes through " +
		"read system calls (/proc/<pid>/io rchar; Drover's include its shuffle files). shuffled: bytes Drover's " +
		"map stages wrote.\n\n")
}

func (r *Report) dataTable(b *strings.Builder) {
	d := r.Data
	fmt.Fprintf(b, "## Data\n\n`drover tpch-gen --sf %g --seed %d --formats parquet` (Snappy, row groups of "+
		"122,880 rows, files of ~128 MiB):\n\n", d.ScaleFactor, d.Seed)
	b.WriteString("| table | rows | files | row groups | size |\n|---|---:|---:|---:|---:|\n")
	names := make([]string, 0, len(d.Tables))
	for t := range d.Tables {
		names = append(names, t)
	}
	slices.SortFunc(names, func(a, b string) int { return int(d.Tables[b].Rows - d.Tables[a].Rows) })
	for _, t := range names {
		st := d.Tables[t]
		fmt.Fprintf(b, "| %s | %d | %d | %d | %s |\n", t, st.Rows, st.Files, st.RowGroups, mib(st.Bytes))
	}
	b.WriteString("\n")
}

const methodNotes = `## How it was measured

- Both engines are child processes of the harness (` + "`bench/cmd/tpchbench`" + `): Drover is ` + "`bin/drover run`" + `
  on bench/queries/<job>.hcl, DuckDB runs bench/queries/<job>.sql as ` + "`COPY (...) TO ... (FORMAT parquet)`" + `
  over ` + "`read_parquet`" + ` views, in a child of the harness binary. Wall time is process start to exit;
  CPU comes from rusage, bytes read from /proc/<pid>/io; peak RSS is each process's own VmHWM
  (rusage's maxrss would include the harness's RSS, which exec carries over into the child's).
- The decode floor is arrow-go's pqarrow (the library Drover reads Parquet with) decoding just the
  columns the query reads, strings that are dictionary-encoded throughout read as dictionaries (as
  Drover does), row groups shared out over the goroutines; warm page cache; median of the same number
  of runs.
- Results are checksummed from the output files: decimals exactly, floats to ten significant digits, row
  order ignored except where the query sorts (checked separately).
`

func secs(d time.Duration) string { return fmt.Sprintf("%.3f s", d.Seconds()) }

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

func perCore(rows int64, wall time.Duration, threads int) string {
	if wall <= 0 {
		return "–"
	}
	v := float64(rows) / wall.Seconds() / float64(threads)
	return fmt.Sprintf("%.1f M", v/1e6)
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	s = strings.ReplaceAll(s, "|", "\\|")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
