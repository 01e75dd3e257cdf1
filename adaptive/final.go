package adaptive

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/stage"
)

// Final is the stage graph as run: each adapted stage with the tasks it
// ran and its decisions, and a join switched to broadcast shown as one.
func Final(g *stage.Graph, ds []Decision) (*stage.Graph, error) {
	byStage := map[int]Decision{}
	for _, d := range ds {
		byStage[d.Stage] = d
	}
	b, err := json.Marshal(g)
	if err != nil {
		return nil, fmt.Errorf("adaptive: copy stage graph: %w", err)
	}
	out := &stage.Graph{}
	if err := json.Unmarshal(b, out); err != nil {
		return nil, fmt.Errorf("adaptive: copy stage graph: %w", err)
	}
	for _, st := range out.Stages {
		d, ok := byStage[st.ID]
		if !ok {
			continue
		}
		st.Partitions = d.Tasks
		if d.Broadcast != nil {
			if j := rowwiseJoin(st.Root); j != nil {
				j.Join.Strategy = logical.StrategyBroadcast
				if r := hashRead(j.Inputs[1]); r != nil {
					r.Read.Kind = physical.PartBroadcast // every task reads all of it
				}
			}
		}
	}
	return out, nil
}

// FormatFinal renders the graph as run followed by the decisions.
func FormatFinal(g *stage.Graph, ds []Decision) (string, error) {
	fg, err := Final(g, ds)
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	sb.WriteString(fg.Format())
	sb.WriteString("\n== Adaptive decisions ==\n")
	if len(ds) == 0 {
		sb.WriteString("(none: every stage ran one task per partition)\n")
	}
	for _, d := range ds {
		sb.WriteString(d.String() + "\n")
	}
	return sb.String(), nil
}
