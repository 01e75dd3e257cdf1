package driver

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/stage"
	"github.com/drover-etl/drover/task"
)

// indeterminateStages finds the stages whose output may differ when a task
// runs again: those calling a plugin function not declared deterministic
// (any plugin transform, or a scalar call, whatever node holds it) and
// those reading such a stage. Built-in functions are deterministic:
// now() is the query's start time, fixed for the run.
func indeterminateStages(g *stage.Graph, deterministic func(string) bool) map[int]bool {
	out := map[int]bool{}
	for _, st := range topoOrder(g) {
		for _, p := range st.Parents {
			if out[p] {
				out[st.ID] = true
			}
		}
		if !out[st.ID] && callsIndeterminate(st.Root, deterministic) {
			out[st.ID] = true
		}
	}
	return out
}

// callsIndeterminate walks a fragment's JSON form, so every expression
// of every node type is seen: a plugin's function names carry its name
// ("textkit.slug"), built-in ones never have a dot.
func callsIndeterminate(n *physical.Node, deterministic func(string) bool) bool {
	b, err := json.Marshal(n)
	if err != nil {
		return true // cannot tell: assume the worst
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return true
	}
	return walkJSON(v, deterministic)
}

func walkJSON(v any, deterministic func(string) bool) bool {
	switch x := v.(type) {
	case map[string]any:
		if name, ok := x["n"].(string); ok && strings.Contains(name, ".") && isCall(x) && !declared(deterministic, name) {
			return true
		}
		if t, ok := x["transform"].(map[string]any); ok {
			fn, _ := t["function"].(string)
			if !declared(deterministic, fn) {
				return true
			}
		}
		for _, e := range x {
			if walkJSON(e, deterministic) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if walkJSON(e, deterministic) {
				return true
			}
		}
	}
	return false
}

// isCall: an expression node of kind Call (expr.KindCall encodes as 2).
func isCall(x map[string]any) bool {
	k, ok := x["k"].(float64)
	return ok && k == 2
}

func declared(deterministic func(string) bool, fn string) bool {
	return deterministic != nil && fn != "" && deterministic(fn)
}

// reconcile runs again every task whose winning result read an
// indeterminate stage's output that has since been replaced (a lost map
// output recomputed, with possibly other rows): its rows would not match
// the new output's, duplicating or losing some. Stages are visited
// parents first, so a rerun's new output is seen by its consumers; like
// Spark's rollback of indeterminate stages, but once, before any commit
// (sinks commit only at the end, so nothing stale was published).
func (s *scheduler) reconcile(ctx context.Context) error {
	if len(s.indet) == 0 {
		return nil
	}
	for _, st := range topoOrder(s.g) {
		stale := s.staleTasks(st)
		if len(stale) == 0 {
			continue
		}
		s.cfg.Progress.TaskRetry(task.ID{Stage: st.ID, Partition: stale[0]},
			fmt.Errorf("stage %d: %d task(s) read an indeterminate output that was recomputed; running them again", st.ID, len(stale)))
		if err := s.rerun(ctx, st, stale); err != nil {
			return err
		}
	}
	return nil
}

// staleTasks are st's partitions whose inputs from an indeterminate
// parent are no longer the current outputs (none for a sink an earlier
// driver of this run already committed).
func (s *scheduler) staleTasks(st *stage.Stage) []int {
	if st.IsSink() && s.committedBefore(st.Root.Write.Sink) {
		return nil // committed by an earlier driver from a consistent input
	}
	n := s.taskCount(st) // adaptive execution may run other than one per partition
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []int
	for p := 0; p < n; p++ {
		used := s.inputs[[2]int{st.ID, p}]
		for _, parent := range st.Parents {
			if s.indet[parent] && !slices.Equal(used[parent], urls(s.outs[parent])) {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// rerun runs the given partitions of st again and records the results.
func (s *scheduler) rerun(ctx context.Context, st *stage.Stage, parts []int) error {
	var wg sync.WaitGroup
	errs := make([]error, len(parts))
	for i, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := s.runTask(ctx, st, p, false)
			if err == nil {
				err = s.journalTask(ctx, res)
			}
			if err != nil {
				errs[i] = fmt.Errorf("rerun task %d.%d: %w", st.ID, p, err)
				return
			}
			s.record(st, p, res)
		}()
	}
	wg.Wait()
	return firstError(errs)
}

// setInputs remembers which map outputs a task's winning attempt read:
// those its spec lists, and those of the map status objects it names.
func (s *scheduler) setInputs(stageID, p int, spec *task.Spec) {
	used := make(map[int][]string, len(spec.Inputs)+len(spec.InputIndex))
	for parent, outs := range spec.Inputs {
		used[parent] = urls(outs)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for parent, ref := range spec.InputIndex {
		if si := s.index[parent]; si != nil {
			used[parent] = si.urls[ref.Version]
		}
	}
	s.inputs[[2]int{stageID, p}] = used
}

func urls(outs []task.MapOutput) []string {
	out := make([]string, len(outs))
	for i, o := range outs {
		out[i] = o.URL
	}
	return out
}

// topoOrder lists the stages parents first.
func topoOrder(g *stage.Graph) []*stage.Stage {
	done := map[int]bool{}
	var out []*stage.Stage
	var visit func(st *stage.Stage)
	visit = func(st *stage.Stage) {
		if done[st.ID] {
			return
		}
		done[st.ID] = true
		for _, p := range st.Parents {
			visit(g.Stages[p])
		}
		out = append(out, st)
	}
	for _, st := range g.Stages {
		visit(st)
	}
	return out
}
