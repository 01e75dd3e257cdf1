package stage

import (
	"fmt"
	"strings"

	"github.com/drover-etl/drover/plan/physical"
)

// Stage is a set of tasks, one per partition, running the same fragment.
type Stage struct {
	ID int `json:"id"`
	// Root is the fragment; exchanges below it are StageRead leaves.
	Root *physical.Node `json:"root"`
	// Output is the exchange this stage feeds (nil for a sink stage, whose
	// root is a Write node).
	Output *physical.ExchangeSpec `json:"output,omitempty"`
	// Parents are the stages this one reads, in leaf order.
	Parents []int `json:"parents,omitempty"`
	// Partitions is the number of tasks.
	Partitions int `json:"partitions"`
}

// IsSink reports whether the stage writes a sink.
func (s *Stage) IsSink() bool { return s.Root.Op == physical.OpWrite }

// Graph is the stage DAG of a job. Stages are in topological order: every
// stage comes after the stages it reads.
type Graph struct {
	Stages []*Stage `json:"stages"`
}

// Build cuts the sink trees into stages.
func Build(sinks []*physical.Node) (*Graph, error) {
	g := &Graph{}
	for _, root := range sinks {
		if _, err := g.cut(root, nil); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// cut makes a stage rooted at root (whose output is out) after first making
// stages for every exchange below it, and returns the new stage's ID.
func (g *Graph) cut(root *physical.Node, out *physical.ExchangeSpec) (int, error) {
	st := &Stage{Output: out}
	frag, err := g.rewrite(root, st)
	if err != nil {
		return 0, err
	}
	st.Root = frag
	st.Partitions, err = g.partitions(frag)
	if err != nil {
		return 0, err
	}
	st.ID = len(g.Stages)
	g.Stages = append(g.Stages, st)
	return st.ID, nil
}

// rewrite copies n, replacing each exchange by a StageRead of a new stage.
func (g *Graph) rewrite(n *physical.Node, st *Stage) (*physical.Node, error) {
	if n.Op == physical.OpExchange {
		id, err := g.cut(n.Inputs[0], n.Exchange)
		if err != nil {
			return nil, err
		}
		st.Parents = append(st.Parents, id)
		return &physical.Node{Op: physical.OpStageRead, Schema: n.Schema,
			Read: &physical.ReadSpec{Stage: id, Kind: n.Exchange.Kind}}, nil
	}
	c := *n
	c.Inputs = make([]*physical.Node, len(n.Inputs))
	for i, in := range n.Inputs {
		r, err := g.rewrite(in, st)
		if err != nil {
			return nil, err
		}
		c.Inputs[i] = r
	}
	return &c, nil
}

// partitions is the number of tasks a fragment needs: one per scan split or
// upstream partition; broadcast inputs do not count (every task reads all).
func (g *Graph) partitions(n *physical.Node) (int, error) {
	p, err := g.count(n)
	if err != nil {
		return 0, err
	}
	if p < 0 {
		return 1, nil
	}
	return p, nil
}

// count returns -1 for a subtree that adapts to any partition count.
func (g *Graph) count(n *physical.Node) (int, error) {
	switch n.Op {
	case physical.OpScan:
		return max(len(n.Scan.Splits), 1), nil
	case physical.OpStageRead:
		return g.readCount(n.Read)
	case physical.OpUnion:
		return g.unionCount(n)
	case physical.OpValues:
		return 1, nil // constant rows: one task emits them
	case physical.OpCoalesce:
		c, err := g.count(n.Inputs[0])
		if err != nil || c < 0 {
			return c, err
		}
		return min(c, n.Coalesce), nil
	}
	want := -1
	for _, in := range n.Inputs {
		c, err := g.count(in)
		if err != nil {
			return 0, err
		}
		if c < 0 {
			continue
		}
		if want >= 0 && c != want {
			return 0, fmt.Errorf("stage: %s joins inputs of %d and %d partitions", n.Op, want, c)
		}
		want = c
	}
	return want, nil
}

func (g *Graph) readCount(r *physical.ReadSpec) (int, error) {
	switch r.Kind {
	case physical.PartBroadcast:
		return -1, nil
	case physical.PartSingle:
		return 1, nil
	}
	return g.Stages[r.Stage].Output.Partitions, nil
}

func (g *Graph) unionCount(n *physical.Node) (int, error) {
	total := 0
	for _, in := range n.Inputs {
		c, err := g.partitions(in)
		if err != nil {
			return 0, err
		}
		total += c
	}
	return total, nil
}

// Format renders the graph for explain and golden files.
func (g *Graph) Format() string {
	var sb strings.Builder
	for _, st := range g.Stages {
		out := "sink"
		if st.Output != nil {
			out = fmt.Sprintf("%s(%d)", st.Output.Kind, st.Output.Partitions)
			if len(st.Output.Keys) > 0 {
				out = fmt.Sprintf("%s(%d) keys=[%s]", st.Output.Kind, st.Output.Partitions, exprs(st.Output))
			}
		}
		fmt.Fprintf(&sb, "Stage %d: tasks=%d parents=%v output=%s\n", st.ID, st.Partitions, st.Parents, out)
		for _, line := range strings.Split(strings.TrimRight(physical.Format(st.Root), "\n"), "\n") {
			sb.WriteString("  " + line + "\n")
		}
	}
	return sb.String()
}

func exprs(e *physical.ExchangeSpec) string {
	parts := make([]string, len(e.Keys))
	for i, k := range e.Keys {
		parts[i] = k.String()
	}
	return strings.Join(parts, ", ")
}
