package task

import (
	"errors"
	"testing"

	"github.com/drover-etl/drover/s3cost"
)

func TestWithMetricsKeepsTheClass(t *testing.T) {
	m := Metrics{S3: s3cost.Usage{Get: s3cost.Count{Requests: 3, Bytes: 10}}}
	for _, base := range []error{AsFatal(errors.New("bad")), AsRetryable(errors.New("flaky")), FetchFailure(1, 2, errors.New("gone"))} {
		err := WithMetrics(base, m)
		if ClassOf(err) != ClassOf(base) || err.Error() != base.Error() || !errors.Is(err, base) {
			t.Errorf("WithMetrics(%v) changed the error: class %s, %q", base, ClassOf(err), err)
		}
		got, ok := MetricsOf(err)
		if !ok || got.S3 != m.S3 {
			t.Errorf("MetricsOf = %+v, %v", got, ok)
		}
	}
	if _, ok := MetricsOf(errors.New("plain")); ok {
		t.Error("a plain error has metrics")
	}
	if WithMetrics(nil, m) != nil {
		t.Error("WithMetrics(nil) is not nil")
	}
}
