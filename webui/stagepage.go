package webui

import (
	"fmt"
	"net/url"
	"slices"
)

// taskRow is one line of a stage's task table.
type taskRow struct {
	Partition int
	Status    string
	Reused    bool // finished by an earlier driver (resumed run)
	Attempts  int
	Executor  string
	Metrics   map[string]int64
	Error     string
}

// quantileRow is the distribution of one metric over finished tasks.
type quantileRow struct {
	Name   string
	Values [5]int64 // min, 25th, median, 75th, max
}

// failedAttempt is one attempt that did not succeed.
type failedAttempt struct {
	Partition, Attempt int
	Executor, Status   string
	Class, Error       string
}

func stagePage(run *Run, st *Stage, status string, page int) map[string]any {
	var rows []taskRow
	var ms []map[string]int64
	var failed []failedAttempt
	for _, t := range st.Tasks {
		row := taskRow{Partition: t.Partition, Status: t.Status(), Reused: t.Reused(), Attempts: len(t.Attempts), Error: t.LastError()}
		if a := t.Last(); a != nil {
			row.Executor, row.Metrics = a.Executor, a.Metrics
			if a.Status == "succeeded" {
				ms = append(ms, a.Metrics)
			}
		}
		for _, a := range t.Attempts {
			if a.Status == "failed" || a.Status == "lost" {
				failed = append(failed, failedAttempt{t.Partition, a.Attempt, a.Executor, a.Status, a.Class, a.Error})
			}
		}
		if status == "" || row.Status == status || (status == "failed" && row.Error != "") || (status == StateReused && row.Reused) {
			rows = append(rows, row)
		}
	}
	pages := max((len(rows)+PageSize-1)/PageSize, 1)
	page = min(max(page, 1), pages)
	shown := rows[(page-1)*PageSize : min(page*PageSize, len(rows))]
	names := metricNames(ms...)
	done, running, nfailed := st.Counts()
	return map[string]any{
		"Title": fmt.Sprintf("Stage %d of %s", st.ID, run.ID), "Run": run, "Stage": st,
		"Tasks": shown, "Metrics": names, "Quantiles": quantiles(names, ms),
		"Page": page, "Pages": pages, "Matching": len(rows), "Status": status,
		"Prev": pageURL(run.ID, st.ID, status, page-1, pages), "Next": pageURL(run.ID, st.ID, status, page+1, pages),
		"Failed": failed[:min(len(failed), PageSize)], "FailedTotal": len(failed),
		"Done": done, "Running": running, "FailedAttempts": nfailed, "Reused": st.Reused(),
	}
}

func pageURL(run string, stage int, status string, page, pages int) string {
	if page < 1 || page > pages {
		return ""
	}
	q := url.Values{"page": {fmt.Sprint(page)}}
	if status != "" {
		q.Set("status", status)
	}
	return fmt.Sprintf("/runs/%s/stages/%d?%s", url.PathEscape(run), stage, q.Encode())
}

// quantiles computes min, quartiles and max of each metric.
func quantiles(names []string, ms []map[string]int64) []quantileRow {
	if len(ms) == 0 {
		return nil
	}
	out := make([]quantileRow, 0, len(names))
	for _, n := range names {
		vals := make([]int64, 0, len(ms))
		for _, m := range ms {
			vals = append(vals, m[n])
		}
		slices.Sort(vals)
		q := quantileRow{Name: n}
		for i, f := range []float64{0, .25, .5, .75, 1} {
			q.Values[i] = vals[int(f*float64(len(vals)-1)+0.5)]
		}
		out = append(out, q)
	}
	return out
}
