package progress

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/s3cost"
	"github.com/drover-etl/drover/task"
)

func s3Summary() *driver.Summary {
	return &driver.Summary{
		Stages: []driver.StageStats{
			{ID: 0, Tasks: 2, Attempts: 2, Metrics: task.Metrics{RowsIn: 10, S3: s3cost.Usage{
				Get: s3cost.Count{Requests: 100_000, Bytes: 4 << 20}, Put: s3cost.Count{Requests: 1000, Bytes: 1 << 20}}}},
			{ID: 1, Tasks: 1, Attempts: 2, Metrics: task.Metrics{S3: s3cost.Usage{
				Get: s3cost.Count{Requests: 50}, Put: s3cost.Count{Requests: 4, Bytes: 2048}, Errors: 1, Retries: 1}}},
		},
		Driver: s3cost.Usage{List: s3cost.Count{Requests: 200, Bytes: 9000}, Delete: s3cost.Count{Requests: 30}, Put: s3cost.Count{Requests: 3}},
		Wall:   time.Second,
	}
}

func TestCostReport(t *testing.T) {
	r := Cost(s3Summary(), s3cost.DefaultPrices)
	if len(r.Stages) != 2 || r.Stages[0].Name != "stage 0" || r.Driver.Name != "driver" || r.Total.Name != "total" {
		t.Fatalf("lines: %+v", r)
	}
	// Stage 0: 100,000 GETs = $0.04, 1,000 PUTs = $0.005.
	if math.Abs(r.Stages[0].Dollars-0.045) > 1e-12 {
		t.Errorf("stage 0 cost = %v, want 0.045", r.Stages[0].Dollars)
	}
	// Total adds stage 1 (50 GETs, 4 PUTs) and the driver (200 LISTs,
	// 3 PUTs; DELETEs free).
	want := 0.045 + (50*0.0004+4*0.005)/1000 + (200*0.005+3*0.005)/1000
	if math.Abs(r.Total.Dollars-want) > 1e-12 {
		t.Errorf("total cost = %v, want %v", r.Total.Dollars, want)
	}
	if u := r.Total.Usage; u.Get.Requests != 100_050 || u.Put.Requests != 1007 || u.List.Requests != 200 || u.Delete.Requests != 30 || u.Errors != 1 {
		t.Errorf("total usage = %+v", u)
	}
}

func TestSummaryPrintsCostTable(t *testing.T) {
	var buf bytes.Buffer
	Summary(&buf, s3Summary(), s3cost.DefaultPrices)
	out := buf.String()
	for _, want := range []string{
		"S3 requests and estimated cost (PUT/LIST $0.005, GET $0.0004, DELETE free per 1,000 requests):",
		"GET  GET bytes   PUT",
		"stage 0  100000    4.0 MiB  1000",
		"driver       0        0 B     3",
		"estimated S3 cost of this run: $0.0461 (101287 requests)",
		"job finished in 1s",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}

func TestSummaryOfALocalRun(t *testing.T) {
	var buf bytes.Buffer
	Summary(&buf, &driver.Summary{Stages: []driver.StageStats{{ID: 0, Tasks: 1, Attempts: 1}}}, s3cost.DefaultPrices)
	if !strings.Contains(buf.String(), "S3 requests: none (local storage only), estimated S3 cost $0\n") {
		t.Fatalf("local run summary:\n%s", buf.String())
	}
	if strings.Contains(buf.String(), "GET bytes") {
		t.Fatalf("local run printed an S3 table:\n%s", buf.String())
	}
}

func TestSummaryReportsSpeculation(t *testing.T) {
	var buf bytes.Buffer
	Summary(&buf, &driver.Summary{Stages: []driver.StageStats{
		{ID: 0, Tasks: 4, Attempts: 5, Speculated: 1, SpeculativeWins: 1},
		{ID: 1, Tasks: 4, Attempts: 4},
	}}, s3cost.DefaultPrices)
	out := buf.String()
	if !strings.Contains(out, "stage 0: 1 speculative copies of slow tasks, 1 finished first\n") {
		t.Errorf("summary lacks stage 0's speculation:\n%s", out)
	}
	if strings.Contains(out, "stage 1: ") {
		t.Errorf("summary reports speculation for stage 1, which had none:\n%s", out)
	}
}

// TestResumedTasksShownDone: the tasks a resumed run reused from its
// journal are reported as done on the console and in the summary.
func TestResumedTasksShownDone(t *testing.T) {
	var buf bytes.Buffer
	p := New(&buf)
	p.StageStarted(1, 4, "Scan → hash")
	p.(driver.ResumeProgress).TasksReused(1, []*task.Result{{ID: task.ID{Stage: 1, Partition: 0}}, {ID: task.ID{Stage: 1, Partition: 2}}, {ID: task.ID{Stage: 1, Partition: 3}}})
	if !strings.Contains(buf.String(), "stage 1: 3 tasks done, reused from the journal (finished by an earlier driver of this run)") {
		t.Errorf("progress lines:\n%s", buf.String())
	}
	buf.Reset()
	sum := s3Summary()
	sum.Stages[0].Reused = 1
	Summary(&buf, sum, s3cost.DefaultPrices)
	if out := buf.String(); !strings.Contains(out, "stage 0: 1 of 2 tasks reused from the journal") || strings.Contains(out, "stage 1: ") {
		t.Errorf("summary:\n%s", out)
	}
}
