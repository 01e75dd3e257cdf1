package remote

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/drover-etl/drover/s3cost"
	"github.com/drover-etl/drover/task"
)

// TestWireErrorCarriesAttemptMetrics: a failed attempt's S3 requests
// survive the trip from executor to driver, with the error's class.
func TestWireErrorCarriesAttemptMetrics(t *testing.T) {
	m := task.Metrics{S3: s3cost.Usage{Put: s3cost.Count{Requests: 4, Bytes: 1 << 20}, Errors: 1}}
	err := task.WithMetrics(task.AsFatal(errors.New("bad row")), m)
	b, jerr := json.Marshal(toWire(err))
	if jerr != nil {
		t.Fatal(jerr)
	}
	var w WireError
	if err := json.Unmarshal(b, &w); err != nil {
		t.Fatal(err)
	}
	back := w.toError()
	got, ok := task.MetricsOf(back)
	if !ok || got.S3 != m.S3 || task.ClassOf(back) != task.Fatal || back.Error() != "bad row" {
		t.Fatalf("round trip: %v (class %s), metrics %+v %v", back, task.ClassOf(back), got, ok)
	}
	if _, ok := task.MetricsOf((&WireError{Message: "x"}).toError()); ok {
		t.Error("an error without metrics came back with some")
	}
}
