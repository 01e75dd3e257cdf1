package harness

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

// LayoutReport is one run of the suite on several file layouts of the
// same data.
type LayoutReport struct {
	Date    string         `json:"date"`
	Machine Machine        `json:"machine"`
	Config  ReportSettings `json:"config"`
	Layouts []*LayoutRun   `json:"layouts"`
	// Profiles are the Drover CPU profiles of the cells with the largest
	// Drover/DuckDB ratios.
	Profiles []*CellProfile `json:"profiles"`
	// Notes is Markdown appended to the report (the readings of the
	// profiles, what changed).
	Notes string `json:"notes,omitempty"`
}

// LayoutRun is the suite on one layout.
type LayoutRun struct {
	LayoutData
	Queries []*QueryResult `json:"queries"`
}

// CellProfile is a Drover CPU profile of one query on one layout.
type CellProfile struct {
	Query  string  `json:"query"`
	Layout string  `json:"layout"`
	Ratio  float64 `json:"ratio"`
	// Path is the profile file (kept outside the report).
	Path string `json:"path,omitempty"`
	// Wall and CPU are the profiled run's.
	Wall time.Duration `json:"wall_ns"`
	CPU  time.Duration `json:"cpu_ns"`
	// TopCum and Top are excerpts of `go tool pprof -top -cum` and
	// `-top`.
	TopCum string `json:"top_cum"`
	Top    string `json:"top"`
	Error  string `json:"error,omitempty"`
}

// LayoutOptions say what RunLayouts adds to Config.
type LayoutOptions struct {
	Layouts []Layout
	// Profiles is the number of worst cells (query × layout, by
	// Drover/DuckDB) to profile; their files go to Config.ProfileDir
	// (default: a temporary directory, removed).
	Profiles int
	// ProfileLines is the number of functions of each pprof excerpt
	// (default 18).
	ProfileLines int
}

// RunLayouts prepares the data set in every layout (the generator's, then
// the others derived from it, cached beside it), runs the selected
// queries on each (query by query, the layouts in turn, so that a noisy
// minute hits them alike), requires every layout's answer to equal the
// first layout's, and profiles the worst cells.
func RunLayouts(ctx context.Context, cfg Config, opt LayoutOptions) (*LayoutReport, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if len(opt.Layouts) == 0 {
		opt.Layouts = Layouts
	}
	if opt.ProfileLines <= 0 {
		opt.ProfileLines = 18
	}
	queries, err := Select(cfg.Queries)
	if err != nil {
		return nil, err
	}
	src, err := ensureData(ctx, cfg)
	if err != nil {
		return nil, err
	}
	rep := &LayoutReport{
		Date: time.Now().Format("2006-01-02"),
		Machine: Machine{CPU: cpuModel(), Cores: runtime.NumCPU(), Go: runtime.Version(),
			DuckDB: duckDBVersion() + " (duckdb-go v2.10505.0)", Drover: droverVersion(ctx, cfg.Drover)},
		Config: ReportSettings{ScaleFactor: cfg.ScaleFactor, Seed: cfg.Seed, Reps: cfg.Reps, Threads: cfg.Threads},
	}
	for _, l := range opt.Layouts {
		ld, err := ensureLayout(ctx, cfg, src, l)
		if err != nil {
			return nil, err
		}
		rep.Layouts = append(rep.Layouts, &LayoutRun{LayoutData: *ld})
	}
	work, cleanup, err := workDir(cfg.WorkDir, "drover-bench-layouts-")
	if err != nil {
		return nil, err
	}
	defer cleanup()
	profileDir := cfg.ProfileDir
	cfg.ProfileDir = "" // runQuery would profile every cell
	for _, q := range queries {
		var first *QueryResult
		for _, lr := range rep.Layouts {
			r := &QueryResult{Query: q, InputRows: lr.Data.inputRows(q)}
			lcfg := cfg
			lcfg.Log = prefixLog(cfg, lr.Layout.Name)
			if err := runQuery(ctx, lcfg, lr.Data, work, r); err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				r.Error = err.Error()
				cfg.logf("%s/%s: %v", lr.Layout.Name, q.Name, err)
			} else if first != nil && !r.Result.Agrees(first.Result) {
				r.Error = fmt.Sprintf("answer differs from the %s layout's: %s; there %s",
					rep.Layouts[0].Layout.Name, r.Result, first.Result)
				cfg.logf("%s/%s: %s", lr.Layout.Name, q.Name, r.Error)
			}
			if first == nil && r.OK() {
				first = r
			}
			lr.Queries = append(lr.Queries, r)
		}
	}
	if opt.Profiles > 0 {
		if profileDir == "" {
			if profileDir, err = os.MkdirTemp("", "drover-bench-profiles-"); err != nil {
				return nil, err
			}
			defer os.RemoveAll(profileDir)
		}
		if err := os.MkdirAll(profileDir, 0o755); err != nil {
			return nil, err
		}
		for _, c := range rep.worstCells(opt.Profiles) {
			p := profileCell(ctx, cfg, c.run, c.q, work, profileDir, opt.ProfileLines)
			rep.Profiles = append(rep.Profiles, p)
		}
	}
	return rep, nil
}

// Failed lists the cells without timings or with a wrong answer.
func (r *LayoutReport) Failed() []string {
	var out []string
	for _, lr := range r.Layouts {
		for _, q := range lr.Queries {
			if !q.OK() {
				out = append(out, fmt.Sprintf("%s/%s: %s", lr.Layout.Name, q.Query.Name, q.Error))
			}
		}
	}
	return out
}

// cell is one query on one layout.
type cell struct {
	run *LayoutRun
	q   *QueryResult
}

// worstCells are the n timed cells with the largest Drover/DuckDB ratio.
func (r *LayoutReport) worstCells(n int) []cell {
	var cells []cell
	for _, lr := range r.Layouts {
		for _, q := range lr.Queries {
			if q.OK() {
				cells = append(cells, cell{lr, q})
			}
		}
	}
	slices.SortStableFunc(cells, func(a, b cell) int {
		switch x, y := a.q.Ratio(), b.q.Ratio(); {
		case x > y:
			return -1
		case x < y:
			return 1
		}
		return 0
	})
	return cells[:min(n, len(cells))]
}

// profileCell takes one more, untimed Drover run of the cell with
// --cpuprofile and excerpts `go tool pprof`.
func profileCell(ctx context.Context, cfg Config, lr *LayoutRun, q *QueryResult, work, dir string, lines int) *CellProfile {
	p := &CellProfile{Query: q.Query.Name, Layout: lr.Layout.Name, Ratio: q.Ratio(),
		Path: filepath.Join(dir, lr.Layout.Name+"-"+q.Query.Name+".pprof")}
	cfg.logf("%s/%s: profiling (ratio %.2f)", p.Layout, p.Query, p.Ratio)
	s, err := runOnce(ctx, cfg, lr.Data, q.Query, engineDrover, filepath.Join(work, p.Layout+"-"+p.Query+"-profile"), p.Path)
	if err != nil {
		p.Error = err.Error()
		return p
	}
	if !s.Result.Agrees(q.Result) {
		p.Error = fmt.Sprintf("the profiled run's answer %s differs from the agreed %s", s.Result, q.Result)
		return p
	}
	p.Wall, p.CPU = s.Wall, s.CPU
	if p.TopCum, err = pprofTop(ctx, cfg.Drover, p.Path, lines, true); err != nil {
		p.Error = err.Error()
		return p
	}
	if p.Top, err = pprofTop(ctx, cfg.Drover, p.Path, lines, false); err != nil {
		p.Error = err.Error()
	}
	return p
}

// pprofTop runs `go tool pprof -top [-cum] -nodecount=n bin profile` and
// keeps the lines from the totals on.
func pprofTop(ctx context.Context, bin, profile string, n int, cum bool) (string, error) {
	args := []string{"tool", "pprof", "-top", fmt.Sprintf("-nodecount=%d", n)}
	if cum {
		args = append(args, "-cum")
	}
	args = append(args, bin, profile)
	out, err := exec.CommandContext(ctx, "go", args...).Output()
	if err != nil {
		msg := err.Error()
		if ee, ok := err.(*exec.ExitError); ok {
			msg += ": " + strings.TrimSpace(string(ee.Stderr))
		}
		return "", fmt.Errorf("go %s: %s", strings.Join(args, " "), msg)
	}
	text := string(out)
	if i := strings.Index(text, "Duration:"); i >= 0 {
		text = text[i:]
	}
	return strings.TrimRight(text, "\n"), nil
}

// prefixLog makes cfg's log lines start with the layout's name.
func prefixLog(cfg Config, layout string) *prefixWriter {
	return &prefixWriter{cfg: cfg, prefix: layout + "/"}
}

type prefixWriter struct {
	cfg    Config
	prefix string
}

func (w *prefixWriter) Write(b []byte) (int, error) {
	if _, err := w.cfg.Log.Write(append([]byte(w.prefix), b...)); err != nil {
		return 0, err
	}
	return len(b), nil
}
