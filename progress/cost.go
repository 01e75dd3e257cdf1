package progress

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/s3cost"
)

// CostLine is one row of the S3 cost table: a stage, the driver or the
// total.
type CostLine struct {
	Name    string       `json:"name"`
	Usage   s3cost.Usage `json:"usage"`
	Dollars float64      `json:"cost_usd"`
}

// CostReport is a run's S3 requests and their estimated cost, per stage
// (successful attempts), for the driver, and in total.
type CostReport struct {
	// Prices are dollars per 1,000 requests (transfer: per GB).
	Prices s3cost.Prices `json:"prices_per_1000_requests"`
	Stages []CostLine    `json:"stages"`
	Driver CostLine      `json:"driver"`
	Total  CostLine      `json:"total"`
}

// Cost prices a run's S3 traffic.
func Cost(s *driver.Summary, p s3cost.Prices) CostReport {
	line := func(name string, u s3cost.Usage) CostLine {
		return CostLine{Name: name, Usage: u, Dollars: p.Cost(u)}
	}
	r := CostReport{Prices: p, Stages: []CostLine{}, Driver: line("driver", s.Driver), Total: line("total", s.S3())}
	for _, st := range s.Stages {
		r.Stages = append(r.Stages, line("stage "+strconv.Itoa(st.ID), st.Metrics.S3))
	}
	return r
}

// Print writes the cost table, or one line saying that the run made no
// S3 request (all its storage was local).
func (r CostReport) Print(w io.Writer) {
	if r.Total.Usage.Requests() == 0 {
		fmt.Fprintln(w, "S3 requests: none (local storage only), estimated S3 cost $0")
		return
	}
	fmt.Fprintf(w, "S3 requests and estimated cost (%s):\n", r.Prices.Describe())
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tGET\tGET bytes\tPUT\tPUT bytes\tLIST\tDELETE\terrors\tretries\test. cost\t")
	for _, l := range append(append(r.Stages, r.Driver), r.Total) {
		u := l.Usage
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%s\t%d\t%d\t%d\t%d\t%s\t\n", l.Name, u.Get.Requests, Bytes(u.Get.Bytes),
			u.Put.Requests, Bytes(u.Put.Bytes), u.List.Requests, u.Delete.Requests, u.Errors, u.Retries, s3cost.Dollars(l.Dollars))
	}
	tw.Flush()
	fmt.Fprintf(w, "estimated S3 cost of this run: %s (%d requests)\n", s3cost.Dollars(r.Total.Dollars), r.Total.Usage.Requests())
}
