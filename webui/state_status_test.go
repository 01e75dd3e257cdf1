package webui

import (
	"testing"

	"github.com/drover-etl/drover/eventlog"
)

func TestTaskStatus(t *testing.T) {
	att := func(status string) *Attempt { return &Attempt{TaskInfo: eventlog.TaskInfo{Status: status}} }
	for _, tc := range []struct {
		name     string
		attempts []*Attempt
		want     string
	}{
		{"none", nil, StatePending},
		{"retried, then succeeded", []*Attempt{att(eventlog.StatusFailed), att(eventlog.StatusSucceeded)}, eventlog.StatusSucceeded},
		{"won, its speculative copy cancelled after", []*Attempt{att(eventlog.StatusSucceeded), att(eventlog.StatusFailed)}, eventlog.StatusSucceeded},
		{"failed", []*Attempt{att(eventlog.StatusFailed), att(eventlog.StatusFailed)}, eventlog.StatusFailed},
	} {
		if got := (&Task{Attempts: tc.attempts}).Status(); got != tc.want {
			t.Errorf("%s: Status = %q, want %q", tc.name, got, tc.want)
		}
	}
}
