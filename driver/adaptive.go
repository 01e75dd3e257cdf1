package driver

import (
	"github.com/drover-etl/drover/adaptive"
	"github.com/drover-etl/drover/stage"
)

// adapt re-plans st from its finished parents' map outputs (package
// adaptive) and returns its task count. The task list is kept for the
// whole run: a lineage re-run of one of st's tasks reads what it read.
func (s *scheduler) adapt(st *stage.Stage) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stageSt[st.ID] = &StageStats{ID: st.ID}
	plan := adaptive.PlanStage(s.g, st, s.outs, s.cfg.Adaptive)
	if plan == nil {
		return st.Partitions
	}
	s.tasks[st.ID] = plan.Tasks
	d := plan.Decision
	s.stageSt[st.ID].Adaptive = &d
	return len(plan.Tasks)
}

// taskCount is how many tasks st runs.
func (s *scheduler) taskCount(st *stage.Stage) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ts := s.tasks[st.ID]; ts != nil {
		return len(ts)
	}
	return st.Partitions
}

// describe is DescribeStage plus what adaptive execution changed, so the
// console, the event log and the UI show it as the stage starts.
func (s *scheduler) describe(st *stage.Stage) string {
	s.mu.Lock()
	d := s.stageSt[st.ID].Adaptive
	s.mu.Unlock()
	if d == nil {
		return DescribeStage(st)
	}
	return DescribeStage(st) + "; adaptive: " + d.Changes()
}
