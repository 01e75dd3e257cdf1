package task

import (
	"errors"
	"testing"
)

func TestMetricsAddMergesOperatorsByPosition(t *testing.T) {
	var m Metrics
	m.Add(Metrics{RowsIn: 1, Operators: []OperatorMetrics{{Rows: 2, Time: 3}}})
	m.Add(Metrics{RowsIn: 1, Operators: []OperatorMetrics{{Rows: 10, Time: 10}, {Rows: 5, Time: 1}}})
	want := []OperatorMetrics{{Rows: 12, Time: 13}, {Rows: 5, Time: 1}}
	if m.RowsIn != 2 || len(m.Operators) != 2 || m.Operators[0] != want[0] || m.Operators[1] != want[1] {
		t.Fatalf("got %+v", m)
	}
}

// OnExecutor names the executor without changing the error's message or
// class.
func TestOnExecutorIsTransparent(t *testing.T) {
	base := AsFatal(errors.New("bad row"))
	err := OnExecutor("10.0.0.1:7000", base)
	if err.Error() != "bad row" || ClassOf(err) != Fatal || !errors.Is(err, base) || ExecutorOf(err) != "10.0.0.1:7000" {
		t.Fatalf("%v class %v executor %q", err, ClassOf(err), ExecutorOf(err))
	}
	if ExecutorOf(base) != "" || OnExecutor("x", nil) != nil {
		t.Fatal("untagged errors name no executor")
	}
}
