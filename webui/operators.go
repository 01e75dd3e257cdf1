package webui

import (
	"strings"

	"github.com/drover-etl/drover/eventlog"
)

// opRow is one line of a stage's operator tree with its counters.
type opRow struct {
	Text   string // the operator, indented as in the plan
	Rows   int64
	TimeNS int64
	Known  bool // some finished task reported it
}

// Operators sums the operator counters of the stage's finished tasks
// (their succeeded attempts), so the plan fills in while the stage runs.
func (st *Stage) Operators() []eventlog.OperatorMetrics {
	var sum []eventlog.OperatorMetrics
	for _, t := range st.Tasks {
		a := t.Last()
		if a == nil || a.Status != eventlog.StatusSucceeded {
			continue
		}
		for i, op := range a.Operators {
			if i == len(sum) {
				sum = append(sum, eventlog.OperatorMetrics{})
			}
			sum[i].Rows += op.Rows
			sum[i].TimeNS += op.TimeNS
		}
	}
	return sum
}

// OpRows pairs each line of the stage's plan with its operator's counters
// (both in pre-order).
func (st *Stage) OpRows() []opRow {
	ops := st.Operators()
	lines := strings.Split(st.Plan, "\n")
	out := make([]opRow, len(lines))
	for i, l := range lines {
		out[i] = opRow{Text: l}
		if i < len(ops) {
			out[i].Rows, out[i].TimeNS, out[i].Known = ops[i].Rows, ops[i].TimeNS, true
		}
	}
	return out
}
