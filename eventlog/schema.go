package eventlog

import "time"

// Version is the schema version written in every event's "v". Readers
// refuse events of a newer major version rather than misread them.
const Version = 1

// Type names an event.
type Type string

// The event types, in the order a run emits them.
const (
	RunStart      Type = "run_start"
	ExecutorAdded Type = "executor_added"
	ExecutorLost  Type = "executor_lost"
	StageStart    Type = "stage_start"
	TaskStart     Type = "task_start"
	TaskEnd       Type = "task_end"
	Recompute     Type = "recompute"
	StageEnd      Type = "stage_end"
	SinkCommitted Type = "sink_committed"
	RunEnd        Type = "run_end"
)

// Event is one line of the log. Exactly one payload field is set, the one
// its Type names.
type Event struct {
	V    int       `json:"v"`
	Seq  int64     `json:"seq"`
	Time time.Time `json:"time"`
	Type Type      `json:"type"`

	Run      *RunInfo      `json:"run,omitempty"`
	Executor *ExecutorInfo `json:"executor,omitempty"`
	Stage    *StageInfo    `json:"stage,omitempty"`
	Task     *TaskInfo     `json:"task,omitempty"`
	Sink     *SinkInfo     `json:"sink,omitempty"`
	End      *RunEndInfo   `json:"end,omitempty"`
}

// RunInfo starts a run: what runs, where, and every plan.
type RunInfo struct {
	ID   string `json:"id"`
	Job  string `json:"job"`
	Mode string `json:"mode"` // "local" or "cluster"
	// JobFile is the job spec's path or URL; JobSpec its text.
	JobFile string `json:"job_file,omitempty"`
	JobSpec string `json:"job_spec,omitempty"`
	// Plans is the explain output: logical, optimized, physical plans and
	// the stage graph.
	Plans  string          `json:"plans,omitempty"`
	Stages []StageTemplate `json:"stages"`
	UIAddr string          `json:"ui_addr,omitempty"`
}

// StageTemplate is one stage of the graph as planned.
type StageTemplate struct {
	ID          int    `json:"id"`
	Parents     []int  `json:"parents"`
	Partitions  int    `json:"partitions"`
	Description string `json:"description"`
	// Output is the exchange kind written ("hash", "range", ...) or "sink".
	Output string `json:"output"`
	Sink   string `json:"sink,omitempty"`
	// Plan is the stage's operator tree, one operator per line, indented.
	Plan string `json:"plan"`
}

// ExecutorInfo describes an executor joining or leaving.
type ExecutorInfo struct {
	ID       string `json:"id"` // host:port in cluster mode, "local" locally
	Alloc    string `json:"alloc,omitempty"`
	Node     string `json:"node,omitempty"`
	Slots    int    `json:"slots,omitempty"`
	MemoryMB int    `json:"memory_mb,omitempty"`
	Reason   string `json:"reason,omitempty"` // why it was lost
}

// StageInfo is a stage starting or ending.
type StageInfo struct {
	ID          int    `json:"id"`
	Tasks       int    `json:"tasks,omitempty"`
	Description string `json:"description,omitempty"`
	// At stage_end: the summed task metrics, wall time and attempts.
	Metrics   map[string]int64  `json:"metrics,omitempty"`
	Operators []OperatorMetrics `json:"operators,omitempty"`
	WallMS    int64             `json:"wall_ms,omitempty"`
}

// OperatorMetrics are one operator's rows produced and time spent (its
// inputs included), in the pre-order of StageTemplate.Plan's lines.
type OperatorMetrics struct {
	Rows   int64 `json:"rows"`
	TimeNS int64 `json:"time_ns"`
	// SpilledBytes went to local spill files (absent: none).
	SpilledBytes int64 `json:"spilled_bytes,omitempty"`
}

// TaskInfo is one task attempt starting or ending (or a lost map output
// being recomputed).
type TaskInfo struct {
	Stage     int `json:"stage"`
	Partition int `json:"partition"`
	Attempt   int `json:"attempt"`
	// Sample: a key-sampling attempt run before a range-partitioned
	// stage's tasks (not one of its tasks' tries).
	Sample   bool   `json:"sample,omitempty"`
	Executor string `json:"executor,omitempty"`
	// Status at task_end: "succeeded", "failed" (retried or not) or
	// "lost" (its executor was lost; retried without counting).
	Status string `json:"status,omitempty"`
	Error  string `json:"error,omitempty"`
	// Class of the error: "retryable", "fatal" or "fetch_failed".
	Class string `json:"class,omitempty"`
	// Metrics are the task's counters: every numeric field of
	// task.Metrics by its JSON name (durations in nanoseconds).
	Metrics   map[string]int64  `json:"metrics,omitempty"`
	Operators []OperatorMetrics `json:"operators,omitempty"`
	// Reused at task_end: the task was finished by an earlier driver of
	// this (resumed) run and taken from its journal, not run again; the
	// attempt, executor and metrics are that driver's winning attempt's.
	Reused bool `json:"reused,omitempty"`
}

// SinkInfo is one sink's committed output.
type SinkInfo struct {
	Name  string `json:"name"`
	Path  string `json:"path"`
	Files int    `json:"files"`
	Bytes int64  `json:"bytes"`
}

// RunEndInfo ends a run.
type RunEndInfo struct {
	Status string `json:"status"` // "succeeded" or "failed"
	Error  string `json:"error,omitempty"`
	WallMS int64  `json:"wall_ms"`
}

// Status values of tasks and runs.
const (
	StatusSucceeded = "succeeded"
	StatusFailed    = "failed"
	StatusLost      = "lost"
)
