package cluster

import (
	"testing"
	"time"

	nomad "github.com/hashicorp/nomad/api"
)

// The events are those a real Nomad 1.11 exec-driver allocation recorded
// when the kernel killed its task for its memory limit, and when a task
// was killed by a signal.
func TestEndEventAndOOM(t *testing.T) {
	start := time.Unix(1000, 0)
	at := func(d time.Duration) int64 { return start.Add(d).UnixNano() }
	oom := &nomad.TaskEvent{Type: nomad.TaskTerminated, Time: at(time.Second), DisplayMessage: "Exit Code: 137",
		ExitCode: 137, Details: map[string]string{"exit_code": "137", "oom_killed": "true", "signal": "0"}}
	killed := &nomad.TaskEvent{Type: nomad.TaskTerminated, Time: at(time.Second), DisplayMessage: "Exit Code: 0, Signal: 9",
		Signal: 9, Details: map[string]string{"exit_code": "0", "oom_killed": "false", "signal": "9"}}
	started := &nomad.TaskEvent{Type: nomad.TaskStarted, Time: at(-time.Minute)}
	restarting := &nomad.TaskEvent{Type: nomad.TaskRestarting, Time: at(2 * time.Second)}
	old := *oom
	old.Time = at(-time.Minute)
	for _, tc := range []struct {
		name     string
		events   []*nomad.TaskEvent
		done, om bool
	}{
		{"OOM-killed then restarting", []*nomad.TaskEvent{started, oom, restarting}, true, true},
		{"killed by a signal", []*nomad.TaskEvent{started, killed}, true, false},
		{"no end recorded yet", []*nomad.TaskEvent{started}, false, false},
		{"an OOM kill before the task began is not its", []*nomad.TaskEvent{&old, started}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev, done := endEvent(map[string]*nomad.TaskState{"executor": {Events: tc.events}}, start)
			if done != tc.done || (done && oomKilled(ev) != tc.om) {
				t.Fatalf("done %v (want %v), event %+v", done, tc.done, ev)
			}
		})
	}
	if _, done := endEvent(map[string]*nomad.TaskState{}, start); done {
		t.Fatal("an allocation without the executor task has an end event")
	}
}

func TestAllocOf(t *testing.T) {
	const id = "0b7d4c6f-3f1e-6a2b-9c1d-2e3f4a5b6c7d"
	for _, tc := range []struct {
		meta      map[string]string
		serviceID string
		want      string
	}{
		{map[string]string{"alloc_id": id}, "x", id},
		{map[string]string{"alloc_id": "${NOMAD_ALLOC_ID}"}, "_nomad-task-" + id + "-executors-executor-svc-rpc", id},
		{nil, "_nomad-task-" + id + "-executors-executor-svc-rpc", id},
		{nil, "some-other-service", ""},
	} {
		if got := allocOf(tc.meta, tc.serviceID); got != tc.want {
			t.Errorf("allocOf(%v, %q) = %q, want %q", tc.meta, tc.serviceID, got, tc.want)
		}
	}
}
