package harness

import (
	"fmt"
	"strconv"
	"strings"
)

// Write stores the report as dir/<date>-scale-sf<SF>.md and .json.
func (r *ScaleReport) Write(dir string) (md, js string, err error) {
	name := r.Date + "-scale-sf" + strconv.FormatFloat(r.Config.ScaleFactor, 'f', -1, 64)
	if r.CgroupCapBytes > 0 {
		name += fmt.Sprintf("-cgroup%dmib", (r.CgroupCapBytes+1<<19)>>20)
	}
	return writeReport(dir, name, r, r.Markdown())
}

// Failed lists the queries that did not complete on Drover or whose
// answers differ (a DuckDB failure alone is not Drover's).
func (r *ScaleReport) Failed() []string {
	var out []string
	for _, q := range r.Queries {
		if !q.Drover.Completed || (q.DuckDB.Completed && !q.Agree) {
			out = append(out, q.Query.Name+": "+q.Error)
		}
	}
	if s := r.Skew; s != nil {
		if !s.Off.Completed || !s.On.Completed || (s.DuckDB.Completed && (!s.AgreeOff || !s.AgreeOn)) {
			out = append(out, fmt.Sprintf("skew_join: off %s / on %s / duckdb %s", s.Off.brief(), s.On.brief(), s.DuckDB.brief()))
		}
	}
	return out
}

// Markdown renders the report.
func (r *ScaleReport) Markdown() string {
	var b strings.Builder
	c := r.Config
	fmt.Fprintf(&b, "# Drover vs DuckDB under a memory budget: TPC-H SF %g (%s)\n\n", c.ScaleFactor, r.Date)
	fmt.Fprintf(&b, "%s, %d cores, %s; DuckDB %s; %s.\n", r.Machine.CPU, r.Machine.Cores, r.Machine.Go,
		r.Machine.DuckDB, r.Machine.Drover)
	flag := fmt.Sprintf("--memory %d", r.MemoryBytes)
	if r.CgroupCapBytes > 0 {
		flag = fmt.Sprintf("` in a %s memory cgroup, no `--memory", mib(r.CgroupCapBytes))
	}
	fmt.Fprintf(&b, "Drover `drover run --parallelism %d %s` (%s shared by its %d task slots), "+
		"DuckDB `threads = %d, memory_limit = '%dMB'` with a `temp_directory`; each engine its own process on "+
		"the same Parquet files, **one run per query and engine** (no warm-up, no median): the suite proves "+
		"completion and answers under the budget; its timings are single samples on a shared machine.\n\n",
		c.Threads, flag, mib(r.MemoryBytes), c.Threads, c.Threads, r.DuckMemoryBytes>>20)
	lineitem := r.Data.Tables["lineitem"]
	fmt.Fprintf(&b, "lineitem alone is %s of Parquet (%d rows) — %.1f× Drover's whole budget.\n\n",
		mib(lineitem.Bytes), lineitem.Rows, float64(lineitem.Bytes)/float64(r.MemoryBytes))

	b.WriteString("## Per query\n\n")
	b.WriteString("| query | completed D | completed K | answers | wall D | wall K | D/K | CPU D | CPU K | peak RSS D | peak RSS K | spilled D | shuffled D | tasks D | rows |\n")
	b.WriteString("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, q := range r.Queries {
		d, k := q.Drover, q.DuckDB
		answers := "**agree**"
		switch {
		case !d.Completed || !k.Completed:
			answers = "unchecked"
		case !q.Agree:
			answers = "**DIFFER**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d | %s |\n",
			q.Query.Name, yesNo(d.Completed), yesNo(k.Completed), answers,
			runSecs(d, d.Sample.Wall.Seconds()), runSecs(k, k.Sample.Wall.Seconds()), ratio(d, k),
			runSecs(d, d.Sample.CPU.Seconds()), runSecs(k, k.Sample.CPU.Seconds()),
			runMiB(d, d.Sample.PeakRSS), runMiB(k, k.Sample.PeakRSS), runMiB(d, d.SpilledBytes), runMiB(d, d.ShuffleBytes),
			d.Tasks, rowsOf(q))
	}
	b.WriteString("\n")
	for _, q := range r.Queries {
		fmt.Fprintf(&b, "- **%s**: %s", q.Query.Name, q.Query.Title)
		if len(q.Query.DroverArgs) > 0 {
			fmt.Fprintf(&b, " (Drover `%s`)", strings.Join(q.Query.DroverArgs, " "))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	var failures []string
	for _, q := range r.Queries {
		if q.Error != "" {
			failures = append(failures, fmt.Sprintf("- **%s**: %s", q.Query.Name, oneLine(q.Error)))
		}
	}
	if len(failures) > 0 {
		b.WriteString("### Failures and unchecked answers\n\n" + strings.Join(failures, "\n") + "\n\n")
	}
	if r.CgroupCapBytes > 0 {
		r.cgroupMarkdown(&b)
	}
	b.WriteString("## Drover's stages (spill per stage, task-time skew = slowest task ÷ median task)\n\n")
	b.WriteString("| query | stage | tasks | attempts | wall | rows out | written | spilled | task median | task max | skew | adaptive |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, q := range r.Queries {
		stageRows(&b, q.Query.Name, q.Drover)
	}
	b.WriteString("\n")
	if r.Skew != nil {
		r.Skew.markdown(&b)
	}
	b.WriteString(scaleMethod)
	if r.Notes != "" {
		b.WriteString("\n" + strings.TrimSpace(r.Notes) + "\n")
	}
	fmt.Fprintf(&b, "\nThe whole suite took %.1f minutes.\n", r.Wall.Minutes())
	return b.String()
}

func stageRows(b *strings.Builder, name string, d ScaleRun) {
	for _, st := range d.Stages {
		skew := "–"
		if st.TaskSkew > 0 {
			skew = fmt.Sprintf("%.1f×", st.TaskSkew)
		}
		fmt.Fprintf(b, "| %s | %d | %d | %d | %s | %d | %s | %s | %s | %s | %s | %s |\n", name, st.ID, st.Tasks, st.Attempts,
			secs(st.Wall), st.RowsOut, mib(st.BytesWritten), mib(st.SpilledBytes), secs(st.TaskMedian), secs(st.TaskMax),
			skew, oneLine(st.Adaptive))
	}
}

func (s *SkewResult) markdown(b *strings.Builder) {
	b.WriteString("## Skewed join, adaptive execution off and on\n\n")
	fmt.Fprintf(b, "`queries/skew_join`: fact (%d rows; %d of them, %.1f%%, with k = 0) ⋈ dim (%d rows, one per key), "+
		"grouped into 100 groups; generated by the harness with DuckDB (`%s`). Both Drover runs: `%s`; the adaptive "+
		"run adds `%s` (the defaults, 256 MiB and 64 MiB, are sized for production partitions; this table is "+
		"smaller).\n\n", s.FactRows, s.SkewKeyRows, 100*float64(s.SkewKeyRows)/float64(max(s.FactRows, 1)), s.DimRows,
		s.Dir, strings.Join(s.DroverArgs, " "), strings.Join(s.AdaptiveArgs, " "))
	b.WriteString("| run | completed | answer vs DuckDB | wall | CPU | peak RSS | spilled | tasks | worst stage skew (slowest ÷ median task) | split |\n")
	b.WriteString("|---|---|---|---:|---:|---:|---:|---:|---:|---|\n")
	row := func(name string, r ScaleRun, agree bool, split string) {
		worst := 0.0
		for _, st := range r.Stages {
			worst = max(worst, st.TaskSkew)
		}
		ans := "**agree**"
		if !r.Completed || !s.DuckDB.Completed {
			ans = "unchecked"
		} else if !agree {
			ans = "**DIFFER**"
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %d | %.1f× | %s |\n", name, yesNo(r.Completed), ans,
			runSecs(r, r.Sample.Wall.Seconds()), runSecs(r, r.Sample.CPU.Seconds()), runMiB(r, r.Sample.PeakRSS),
			runMiB(r, r.SpilledBytes), r.Tasks, worst, split)
	}
	row("Drover, `--adaptive=false`", s.Off, s.AgreeOff, "–")
	row("Drover, `--adaptive=true`", s.On, s.AgreeOn, yesNo(s.Split))
	fmt.Fprintf(b, "| DuckDB | %s | – | %s | %s | %s | – | – | – | – |\n\n", yesNo(s.DuckDB.Completed),
		runSecs(s.DuckDB, s.DuckDB.Sample.Wall.Seconds()), runSecs(s.DuckDB, s.DuckDB.Sample.CPU.Seconds()),
		runMiB(s.DuckDB, s.DuckDB.Sample.PeakRSS))
	for _, r := range []ScaleRun{s.Off, s.On, s.DuckDB} {
		if r.Error != "" {
			fmt.Fprintf(b, "- error: %s\n", oneLine(r.Error))
		}
	}
	b.WriteString("\n| run | stage | tasks | attempts | wall | rows out | written | spilled | task median | task max | skew | adaptive |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	stageRows(b, "off", s.Off)
	stageRows(b, "on", s.On)
	b.WriteString("\n")
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

func runSecs(r ScaleRun, v float64) string {
	if !r.Completed {
		return "–"
	}
	return fmt.Sprintf("%.1f s", v)
}

func runMiB(r ScaleRun, v int64) string {
	if !r.Completed {
		return "–"
	}
	return mib(v)
}

func ratio(d, k ScaleRun) string {
	if !d.Completed || !k.Completed || k.Sample.Wall <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", d.Sample.Wall.Seconds()/k.Sample.Wall.Seconds())
}

func rowsOf(q *ScaleResult) string {
	switch {
	case q.DuckDB.Completed:
		return strconv.FormatInt(q.DuckDB.Sample.Result.Rows, 10)
	case q.Drover.Completed:
		return strconv.FormatInt(q.Drover.Sample.Result.Rows, 10)
	}
	return "–"
}

const scaleMethod = `## How it was measured

- ` + "`make bench-scale`" + ` (` + "`tpchbench -scale`" + `): each query once per engine, as child processes of the
  harness; wall time from start to exit, CPU from rusage (user + system), peak RSS each process's own VmHWM.
- Drover's figures per stage come from ` + "`drover run --metrics-json`" + ` (tasks, attempts, rows, bytes written, spilled
  bytes, adaptive decisions) and its event log (` + "`--event-log-dir`" + `: each succeeded task attempt's duration,
  hence the task-time skew). Spill files and the local shuffle go to a per-run TMPDIR.
- Answers: every output file read back and checksummed (row count plus an order-independent hash of
  canonicalized rows); sorted outputs are also checked for order.
- The machine's 2 cores are shared with other work: wall times are noisy, ratios within one run mean more than
  absolute numbers, and one sample per query is a completion proof, not a performance claim.
`

// cgroupMarkdown is the proof under a real cap: each Drover process in its
// own memory cgroup, with no --memory.
func (r *ScaleReport) cgroupMarkdown(b *strings.Builder) {
	fmt.Fprintf(b, "## Under a cgroup memory cap\n\nEach Drover process ran in its own memory cgroup capped at %s "+
		"(swap included where accounted) **without `--memory`**: its budget is the default, 60 %% of the cgroup's limit "+
		"as Drover finds it (%s). OOM-killed is the kernel's count for the group (memory.oom_control / memory.events); "+
		"the cgroup peak includes page cache, which the kernel reclaims before it kills. Peak RSS (VmHWM) counts the "+
		"binary's mapped text, whose page cache is charged to whichever cgroup first read it, so it can exceed the cap "+
		"without the group reaching it.\n\n", mib(r.CgroupCapBytes), mib(r.MemoryBytes))
	b.WriteString("| query | completed | OOM-killed | peak RSS | RSS / cap | cgroup peak |\n|---|---|---|---:|---:|---:|\n")
	for _, q := range r.Queries {
		d := q.Drover
		fmt.Fprintf(b, "| %s | %s | %s | %s | %.0f %% | %s |\n", q.Query.Name, yesNo(d.Completed), killed(d.OOMKilled),
			runMiB(d, d.Sample.PeakRSS), 100*float64(d.Sample.PeakRSS)/float64(r.CgroupCapBytes), mib(d.CgroupPeak))
	}
	b.WriteString("\n")
}

func killed(k bool) string {
	if k {
		return "**yes**"
	}
	return "no"
}
