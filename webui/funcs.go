package webui

import (
	"fmt"
	"html/template"
	"strings"
	"time"
)

var funcs = template.FuncMap{
	"color":  colorOf,
	"metric": formatMetric,
	"label":  func(s string) string { return strings.ReplaceAll(s, "_", " ") },
	"dur":    func(d time.Duration) string { return d.Round(time.Millisecond).String() },
	"ms":     func(ms int64) string { return (time.Duration(ms) * time.Millisecond).String() },
	"since":  func(r *Run, now time.Time) string { return r.Duration(now).Round(time.Second).String() },
	"time":   func(t time.Time) string { return t.Local().Format("2006-01-02 15:04:05") },
	"counts": func(st *Stage) map[string]int {
		d, r, f := st.Counts()
		return map[string]int{"Done": d, "Running": r, "Failed": f}
	},
}

// formatMetric renders a metric by its name's convention: durations in
// nanoseconds, byte counts, plain counts.
func formatMetric(name string, v int64) string {
	switch {
	case name == "duration" || strings.HasSuffix(name, "_ns") || strings.HasSuffix(name, "_duration"):
		return time.Duration(v).Round(time.Millisecond).String()
	case strings.HasSuffix(name, "_ms"):
		return (time.Duration(v) * time.Millisecond).String()
	case strings.Contains(name, "bytes"):
		return humanBytes(v)
	default:
		return fmt.Sprint(v)
	}
}

func humanBytes(v int64) string {
	const unit = 1024
	if v < unit {
		return fmt.Sprintf("%d B", v)
	}
	div, exp := int64(unit), 0
	for n := v / unit; n >= unit; n /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(v)/float64(div), "KMGTPE"[exp])
}
