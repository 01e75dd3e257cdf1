package webui

import (
	"fmt"
	"html/template"
	"strings"
)

// Layout of the stage graph: one column per depth, stages stacked.
const (
	boxW, boxH   = 200, 64
	colGap, rowG = 60, 24
	pad          = 12
)

// node is a stage placed in the SVG.
type node struct {
	St   *Stage
	X, Y int
}

// edge joins a parent's right side to a child's left side.
type edge struct{ X1, Y1, X2, Y2 int }

// DAG is the laid-out stage graph.
type DAG struct {
	W, H  int
	Nodes []node
	Edges []edge
}

// layout places stages in columns by depth (longest path from a source),
// in ID order within a column.
func layout(stages []*Stage) DAG {
	var d DAG
	rows := map[int]int{}
	pos := map[int]node{}
	for _, st := range stages {
		n := node{St: st, X: pad + st.Depth*(boxW+colGap), Y: pad + rows[st.Depth]*(boxH+rowG)}
		rows[st.Depth]++
		pos[st.ID] = n
		d.Nodes = append(d.Nodes, n)
		d.W = max(d.W, n.X+boxW+pad)
		d.H = max(d.H, n.Y+boxH+pad)
	}
	for _, st := range stages {
		c := pos[st.ID]
		for _, p := range st.Parents {
			if pn, ok := pos[p]; ok {
				d.Edges = append(d.Edges, edge{pn.X + boxW, pn.Y + boxH/2, c.X, c.Y + boxH/2})
			}
		}
	}
	return d
}

// stateColors fill stage boxes and status badges.
var stateColors = map[string]string{
	StatePending:    "#e5e7eb",
	StateRunning:    "#93c5fd",
	"succeeded":     "#86efac",
	"failed":        "#fca5a5",
	"lost":          "#fdba74",
	StateIncomplete: "#fde68a",
	StateReused:     "#bbf7d0",
}

func colorOf(state string) string {
	if c, ok := stateColors[state]; ok {
		return c
	}
	return "#e5e7eb"
}

// svg renders the graph; each box links to its stage page.
func (d DAG) svg(runID string) template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg id="dag" xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">`, d.W, d.H, d.W, d.H)
	b.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#6b7280"/></marker></defs>`)
	for _, e := range d.Edges {
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#6b7280" stroke-width="1.5" marker-end="url(#arrow)"/>`, e.X1, e.Y1, e.X2, e.Y2)
	}
	for _, n := range d.Nodes {
		done, _, failed := n.St.Counts()
		href := fmt.Sprintf("/runs/%s/stages/%d", template.URLQueryEscaper(runID), n.St.ID)
		fmt.Fprintf(&b, `<a href="%s"><g class="stage" data-stage="%d" data-state="%s">`, href, n.St.ID, n.St.State)
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" rx="6" fill="%s" stroke="#374151"/>`, n.X, n.Y, boxW, boxH, colorOf(n.St.State))
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-weight="bold">Stage %d · %s</text>`, n.X+8, n.Y+18, n.St.ID, esc(n.St.State))
		fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`, n.X+8, n.Y+36, esc(clip(n.St.Description, 30)))
		label := fmt.Sprintf("%d/%d tasks", done, n.St.Partitions)
		if reused := n.St.Reused(); reused > 0 {
			label += fmt.Sprintf(", %d reused", reused)
		}
		if failed > 0 {
			label += fmt.Sprintf(", %d failed attempts", failed)
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text></g></a>`, n.X+8, n.Y+54, esc(label))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func esc(s string) string { return template.HTMLEscapeString(s) }

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
