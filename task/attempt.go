package task

import "errors"

// attemptError carries what a failed attempt did along with its error:
// its S3 requests are billed whether or not it succeeded.
type attemptError struct {
	err     error
	metrics Metrics
}

func (e *attemptError) Error() string { return e.err.Error() }
func (e *attemptError) Unwrap() error { return e.err }

// WithMetrics attaches a failed attempt's metrics to its error; the class
// of err is kept.
func WithMetrics(err error, m Metrics) error {
	if err == nil {
		return nil
	}
	return &attemptError{err: err, metrics: m}
}

// MetricsOf returns the metrics attached to err by WithMetrics.
func MetricsOf(err error) (Metrics, bool) {
	var e *attemptError
	if errors.As(err, &e) {
		return e.metrics, true
	}
	return Metrics{}, false
}
