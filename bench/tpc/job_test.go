package tpc

import (
	"testing"

	"github.com/drover-etl/drover/jobspec"
)

// TestJobText checks that a query reaches the SQL view verbatim, HCL
// template sequences included.
func TestJobText(t *testing.T) {
	query := "SELECT '${x}' AS a, '%{y}' AS b, '$${z}' AS c\nFROM t -- DROVER\n"
	src := JobText(map[string]string{"t": "/data/t", "u": "/data/u"}, query, "/out")
	job, err := jobspec.ParseSource([]byte(src), "x.hcl", nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	// The heredoc keeps the text and adds the final newline.
	if len(job.Views) != 1 || job.Views[0].SQL.Value != query {
		t.Fatalf("view SQL %q, want %q", job.Views[0].SQL.Value, query)
	}
	if len(job.Sources) != 2 || job.Sources[0].Path != "/data/t/" || job.Sinks[0].Path != "/out/" {
		t.Errorf("sources %+v sinks %+v", job.Sources, job.Sinks)
	}
}
