package progress

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/s3cost"
)

// Summary prints per-stage totals, the S3 requests and their estimated
// cost at prices, and the committed sinks.
func Summary(w io.Writer, s *driver.Summary, prices s3cost.Prices) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "stage\ttasks\tattempts\trows in\trows out\tread\twritten\tspilled\twall\t")
	for _, st := range s.Stages {
		m := st.Metrics
		fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t\n", st.ID, st.Tasks, st.Attempts,
			m.RowsIn, m.RowsOut, Bytes(m.BytesRead), Bytes(m.BytesWritten), Bytes(m.SpilledBytes), st.Wall.Round(time.Millisecond))
	}
	tw.Flush()
	for _, d := range s.Adaptive() {
		fmt.Fprintf(w, "adaptive: %s\n", d)
	}
	for _, st := range s.Stages {
		if st.Reused > 0 {
			fmt.Fprintf(w, "stage %d: %d of %d tasks reused from the journal (finished by an earlier driver of this run)\n", st.ID, st.Reused, st.Tasks)
		}
		if st.Speculated > 0 {
			fmt.Fprintf(w, "stage %d: %d speculative copies of slow tasks, %d finished first\n", st.ID, st.Speculated, st.SpeculativeWins)
		}
	}
	Cost(s, prices).Print(w)
	for _, sk := range s.Sinks {
		fmt.Fprintf(w, "sink %q committed: %d files at %s\n", sk.Sink, sk.Files, sk.URL)
	}
	fmt.Fprintf(w, "job finished in %s\n", s.Wall.Round(time.Millisecond))
}

// Bytes renders a byte count for people.
func Bytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
