package journal

import (
	"time"

	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/types"
)

// Version is the journal's format version.
const Version = 1

// Kind names what an entry records.
type Kind string

// Entry kinds, in the order a run writes them.
const (
	KindHeader    Kind = "header"    // the run starts (or resumes)
	KindBounds    Kind = "bounds"    // a range-partitioned stage's sampled bounds
	KindTask      Kind = "task"      // a task's winning result
	KindStage     Kind = "stage"     // a stage finished
	KindCommit    Kind = "commit"    // a sink's commit starts
	KindCommitted Kind = "committed" // a sink's commit finished
)

// Entry is one journal object.
type Entry struct {
	Version int     `json:"version"`
	Seq     int     `json:"seq"`
	Kind    Kind    `json:"kind"`
	Header  *Header `json:"header,omitempty"`
	// Stage is the stage of a bounds, task or stage entry.
	Stage int `json:"stage,omitempty"`
	// Bounds are a range-partitioned stage's partition bounds.
	Bounds [][]types.Value `json:"bounds,omitempty"`
	// Result is a finished task's winning attempt.
	Result *task.Result `json:"result,omitempty"`
	// Inputs are the map output URLs that attempt read, by parent stage.
	Inputs map[int][]string `json:"inputs,omitempty"`
	// Reads is what an adaptive task read of its parents (none: one
	// partition of every map output).
	Reads task.Reads `json:"reads,omitempty"`
	// Sink names the sink of a commit or committed entry.
	Sink string `json:"sink,omitempty"`
}

// Header identifies the run a journal belongs to.
type Header struct {
	Job string `json:"job"`
	Run string `json:"run"`
	// Plan fingerprints the stage graph; a resume must match it.
	Plan string `json:"plan"`
	// PlanTime is the instant the plan was made at: current_date and
	// now() are literals of it, so a resumed driver plans at the first
	// header's PlanTime to get the same plan (zero: not recorded).
	PlanTime time.Time `json:"plan_time,omitzero"`
	// Incarnation counts the drivers that ran the run (1: the first).
	Incarnation int `json:"incarnation"`
}
