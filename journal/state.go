package journal

import (
	"errors"
	"fmt"

	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/types"
)

// TaskKey names a task: stage and partition.
type TaskKey struct{ Stage, Partition int }

// State is what a journal says the run's earlier drivers finished.
type State struct {
	// Header is the run's first header.
	Header Header
	// Incarnation is the latest driver's number.
	Incarnation int
	// Results are the winning results by task; a later entry for the same
	// task (a lineage re-run) replaces an earlier one.
	Results map[TaskKey]*task.Result
	// Attempts is, per task, one more than the highest attempt number the
	// journal names: where a resumed driver's numbering starts at least.
	Attempts map[TaskKey]int
	// Inputs are the map output URLs each result read, by parent stage.
	Inputs map[TaskKey]map[int][]string
	// Reads are the adaptive read ranges each result read.
	Reads map[TaskKey]task.Reads
	// Bounds are the sampled bounds of range-partitioned stages.
	Bounds map[int][][]types.Value
	// StagesDone are the stages that finished.
	StagesDone map[int]bool
	// CommitStarted and Committed name sinks whose commit started, and
	// those whose commit finished.
	CommitStarted map[string]bool
	Committed     map[string]bool
}

// replay folds entries (ordered by number) into a State.
func replay(entries []Entry) (*State, error) {
	if entries[0].Kind != KindHeader || entries[0].Header == nil {
		return nil, errors.New("the first entry is not the run's header")
	}
	st := &State{Header: *entries[0].Header, Results: map[TaskKey]*task.Result{}, Inputs: map[TaskKey]map[int][]string{}, Attempts: map[TaskKey]int{},
		Reads:  map[TaskKey]task.Reads{},
		Bounds: map[int][][]types.Value{}, StagesDone: map[int]bool{},
		CommitStarted: map[string]bool{}, Committed: map[string]bool{}}
	for _, e := range entries {
		if err := st.apply(e); err != nil {
			return nil, fmt.Errorf("entry %d: %w", e.Seq, err)
		}
	}
	return st, nil
}

func (st *State) apply(e Entry) error {
	switch e.Kind {
	case KindHeader:
		if e.Header == nil {
			return errors.New("header entry without a header")
		}
		st.Incarnation = max(st.Incarnation, e.Header.Incarnation)
	case KindBounds:
		st.Bounds[e.Stage] = e.Bounds
	case KindTask:
		if e.Result == nil {
			return errors.New("task entry without a result")
		}
		k := TaskKey{e.Result.Stage, e.Result.Partition}
		st.Results[k] = e.Result
		st.Inputs[k] = e.Inputs
		st.Reads[k] = e.Reads
		st.Attempts[k] = max(st.Attempts[k], e.Result.Attempt+1)
	case KindStage:
		st.StagesDone[e.Stage] = true
	case KindCommit:
		st.CommitStarted[e.Sink] = true
	case KindCommitted:
		st.Committed[e.Sink] = true
	default:
		return fmt.Errorf("unknown entry kind %q", e.Kind)
	}
	return nil
}
