package adaptive

import (
	"slices"

	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/stage"
	"github.com/drover-etl/drover/task"
)

// Plan is the task list of one adapted stage and why it looks so.
type Plan struct {
	// Tasks are the reads of each task, in task order.
	Tasks    []task.Reads
	Decision Decision
}

// PlanStage re-plans st from its parents' map outputs (outs, by stage
// ID). It returns nil when the stage keeps one task per partition: it is
// not adaptable, adaptive execution is off, or nothing would change.
func PlanStage(g *stage.Graph, st *stage.Stage, outs map[int][]task.MapOutput, cfg Config) *Plan {
	if cfg.Disabled {
		return nil
	}
	cfg = cfg.withDefaults()
	sh, ok := analyze(g, st)
	if !ok {
		return nil
	}
	n := st.Partitions
	for _, id := range sh.hash {
		if len(outs[id]) == 0 || g.Stages[id].Output.Partitions != n {
			return nil
		}
	}
	p := &planner{cfg: cfg, st: st, sh: sh, outs: outs, n: n}
	plan := p.plan()
	if len(plan.Tasks) == n && !plan.Decision.changed() {
		return nil
	}
	return plan
}

type planner struct {
	cfg  Config
	st   *stage.Stage
	sh   shape
	outs map[int][]task.MapOutput
	n    int
}

func (p *planner) plan() *Plan {
	d := Decision{Stage: p.st.ID, Partitions: p.n}
	if p.sh.join != nil && p.broadcastable() {
		return p.broadcast(d)
	}
	sizes, mem := make([][]int64, len(p.sh.hash)), make([][]int64, len(p.sh.hash))
	for i, id := range p.sh.hash {
		sizes[i], mem[i] = partSizes(p.outs[id], p.n), make([]int64, p.n)
		if p.sh.held[id] {
			mem[i] = partMem(p.outs[id], p.n)
		}
	}
	skew, splits := map[int]bool{}, map[int][]task.Reads{}
	if p.sh.join != nil {
		skew, splits, d.Skew = p.skewSplits()
	}
	total := int64(0)
	for _, s := range sizes {
		total += sum(s)
	}
	runs := p.coalesce(&d, sizes, mem, p.cfg.target(total), p.memCap(nil), skew)
	tasks := assemble(p.n, runs, splits, p.reads)
	d.Tasks, d.Coalesced = len(tasks), len(runs) < p.n-len(skew)
	return &Plan{Tasks: tasks, Decision: d}
}

// memCap is the in-memory bytes of held hash input a task may take: the
// configured cap less what every task holds whole (the stage's broadcast
// reads and build, a switched join's build side), but at least half the
// cap. When the whole builds alone pass the cap there is none: each task
// spills its broadcast build anyway, and more tasks would only repeat that
// (TPC-H Q9's orders build at SF 1 under a 32 MiB task budget: twice the
// spill in twice the tasks).
func (p *planner) memCap(build []task.MapOutput) int64 {
	c := p.cfg.memCap()
	if c <= 0 {
		return 0
	}
	whole := totalMem(build)
	for _, id := range p.sh.bcast {
		whole += totalMem(p.outs[id])
	}
	if whole >= c {
		return 0
	}
	return max(c-whole, c/2)
}

// heldMem is mapMem of input id's partition part when the stage holds
// that input, else nil (a streamed side is not capped).
func (p *planner) heldMem(id, part int) []int64 {
	if !p.sh.held[id] {
		return nil
	}
	return mapMem(p.outs[id], part)
}

// coalesce is Coalesce under the memory cap, noting in d when the cap
// cost tasks and how many partitions exceed it alone.
func (p *planner) coalesce(d *Decision, sizes, mem [][]int64, target, memCap int64, skip map[int]bool) []Span {
	runs := Coalesce(sizes, mem, target, memCap, skip)
	if memCap <= 0 {
		return runs
	}
	if len(runs) > len(Coalesce(sizes, nil, target, 0, skip)) {
		d.MemoryCap, d.TaskMemory = memCap, p.cfg.TaskMemoryBytes
	}
	for part := 0; part < p.n; part++ {
		if !skip[part] && column(mem, part) > memCap {
			d.OverCap++
		}
	}
	return runs
}

// assemble lists the tasks in partition order: each coalesced run as one
// task (read), each split partition as its pieces.
func assemble(n int, runs []Span, splits map[int][]task.Reads, read func(Span) task.Reads) []task.Reads {
	var tasks []task.Reads
	ri := 0
	for part := 0; part < n; part++ {
		if pieces, ok := splits[part]; ok {
			tasks = append(tasks, pieces...)
			continue
		}
		if ri < len(runs) && runs[ri].Start == part {
			tasks = append(tasks, read(runs[ri]))
			ri++
		}
	}
	return tasks
}

// reads is a task reading partitions s of every hash input, all map outputs.
func (p *planner) reads(s Span) task.Reads {
	r := task.Reads{}
	for _, id := range p.sh.hash {
		r[id] = task.ReadRange{PartStart: s.Start, PartEnd: s.End, MapStart: 0, MapEnd: len(p.outs[id])}
	}
	return r
}

func (p *planner) broadcastable() bool {
	j := p.sh.join.Join
	if p.cfg.BroadcastBytes < 0 || j.Type.KeepsUnmatchedRight() || j.Strategy != logical.StrategyShuffle {
		return false
	}
	right := p.outs[p.sh.right]
	return totalBytes(right) <= p.cfg.BroadcastBytes && pieces(right) <= MaxBroadcastPieces
}

// MaxBroadcastPieces bounds the non-empty (map output, partition) pieces a
// switched build side may have: every task reads each one (a ranged read
// per piece, three requests on S3), so a small build side scattered over
// many map outputs and partitions stays shuffled.
const MaxBroadcastPieces = 512

func pieces(outs []task.MapOutput) int {
	n := 0
	for _, o := range outs {
		for _, r := range o.Rows {
			if r > 0 {
				n++
			}
		}
	}
	return n
}

// broadcast runs the join as a broadcast join: every task reads the whole
// build side, so the probe side's partitions are coalesced by their own
// sizes and any skewed one is split by map outputs, whatever the join type.
func (p *planner) broadcast(d Decision) *Plan {
	left, right := p.outs[p.sh.left], p.outs[p.sh.right]
	sizes, mem := partSizes(left, p.n), make([]int64, p.n)
	if p.sh.held[p.sh.left] {
		mem = partMem(left, p.n)
	}
	d.Broadcast = &Broadcast{BuildStage: p.sh.right, BuildBytes: totalBytes(right)}
	target, memCap := p.cfg.target(sum(sizes)), p.memCap(right)
	skew, med := Skewed(sizes, p.cfg.SkewFactor, p.cfg.SkewThresholdBytes)
	all := task.ReadRange{PartStart: 0, PartEnd: p.n, MapStart: 0, MapEnd: len(right)}
	splits := map[int][]task.Reads{}
	for part := 0; part < p.n; part++ {
		if !skew[part] {
			continue
		}
		spans := SplitMaps(mapSizes(left, part), p.heldMem(p.sh.left, part), p.cfg.AdvisoryBytes, memCap)
		for _, s := range spans {
			splits[part] = append(splits[part], task.Reads{p.sh.left: {PartStart: part, PartEnd: part + 1, MapStart: s.Start, MapEnd: s.End}, p.sh.right: all})
		}
		if len(spans) > 1 {
			d.Skew = append(d.Skew, Skew{Partition: part, Side: "left", Tasks: len(spans), Bytes: sizes[part], Median: med})
		}
	}
	runs := p.coalesce(&d, [][]int64{sizes}, [][]int64{mem}, target, memCap, skew)
	tasks := assemble(p.n, runs, splits, func(s Span) task.Reads {
		return task.Reads{p.sh.left: {PartStart: s.Start, PartEnd: s.End, MapStart: 0, MapEnd: len(left)}, p.sh.right: all}
	})
	d.Tasks, d.Coalesced = len(tasks), len(runs) < p.n-len(skew)
	return &Plan{Tasks: tasks, Decision: d}
}

// skewSplits finds the join's skewed partitions on the sides that may be
// split and builds their tasks: the split side's map-output runs against
// the other side's whole partition (both sides split: every pair).
func (p *planner) skewSplits() (map[int]bool, map[int][]task.Reads, []Skew) {
	jt := p.sh.join.Join.Type
	left, right := p.outs[p.sh.left], p.outs[p.sh.right]
	ls, rs := partSizes(left, p.n), partSizes(right, p.n)
	lskew, lmed := map[int]bool{}, median(ls)
	rskew, rmed := map[int]bool{}, median(rs)
	if splitLeft(jt) {
		lskew, lmed = Skewed(ls, p.cfg.SkewFactor, p.cfg.SkewThresholdBytes)
	}
	if splitRight(jt) {
		rskew, rmed = Skewed(rs, p.cfg.SkewFactor, p.cfg.SkewThresholdBytes)
	}
	lt, rt := p.splitTarget(ls, lskew), p.splitTarget(rs, rskew)
	skew, tasks := map[int]bool{}, map[int][]task.Reads{}
	var notes []Skew
	for part := 0; part < p.n; part++ {
		if !lskew[part] && !rskew[part] {
			continue
		}
		lspans := []Span{{0, len(left)}}
		rspans := []Span{{0, len(right)}}
		if lskew[part] {
			lspans = SplitMaps(mapSizes(left, part), p.heldMem(p.sh.left, part), lt, p.memCap(nil))
		}
		if rskew[part] {
			rspans = SplitMaps(mapSizes(right, part), p.heldMem(p.sh.right, part), rt, p.memCap(nil))
		}
		if len(lspans)*len(rspans) < 2 {
			continue // one map output: nothing to split by
		}
		skew[part] = true
		for _, l := range lspans {
			for _, r := range rspans {
				tasks[part] = append(tasks[part], task.Reads{
					p.sh.left:  {PartStart: part, PartEnd: part + 1, MapStart: l.Start, MapEnd: l.End},
					p.sh.right: {PartStart: part, PartEnd: part + 1, MapStart: r.Start, MapEnd: r.End},
				})
			}
		}
		if len(lspans) > 1 {
			notes = append(notes, Skew{Partition: part, Side: "left", Tasks: len(lspans), Bytes: ls[part], Median: lmed})
		}
		if len(rspans) > 1 {
			notes = append(notes, Skew{Partition: part, Side: "right", Tasks: len(rspans), Bytes: rs[part], Median: rmed})
		}
	}
	return skew, tasks, notes
}

// splitTarget is the size a skewed partition's pieces aim for: the
// advisory size, or the mean of the side's other partitions when larger.
func (p *planner) splitTarget(sizes []int64, skew map[int]bool) int64 {
	var t int64
	n := 0
	for i, s := range sizes {
		if !skew[i] {
			t += s
			n++
		}
	}
	if n > 0 && t/int64(n) > p.cfg.AdvisoryBytes {
		return t / int64(n)
	}
	return p.cfg.AdvisoryBytes
}

// partSizes sums each partition's bytes over the map outputs.
func partSizes(outs []task.MapOutput, n int) []int64 {
	s := make([]int64, n)
	for _, o := range outs {
		for p := 0; p < n && p < len(o.Bytes); p++ {
			s[p] += o.Bytes[p]
		}
	}
	return s
}

// partMem sums each partition's held size (outMem) over the map outputs.
func partMem(outs []task.MapOutput, n int) []int64 {
	s := make([]int64, n)
	for _, o := range outs {
		for p := 0; p < n; p++ {
			s[p] += outMem(o, p)
		}
	}
	return s
}

// mapMem is partition part's in-memory bytes in each map output.
func mapMem(outs []task.MapOutput, part int) []int64 {
	s := make([]int64, len(outs))
	for m, o := range outs {
		s[m] = outMem(o, part)
	}
	return s
}

// RowOverheadBytes is what an operator holding a row adds to its Arrow
// bytes: a hash table entry and per-group state (operator's hash
// aggregation counts 64 bytes a group beyond keys and states).
const RowOverheadBytes = 64

// outMem is the memory partition p of map output o takes when held: its
// Arrow bytes (encoded bytes for an output that recorded none) plus
// RowOverheadBytes a row.
func outMem(o task.MapOutput, p int) int64 {
	var b int64
	switch {
	case len(o.Mem) > 0:
		if p < len(o.Mem) {
			b = o.Mem[p]
		}
	case p < len(o.Bytes):
		b = o.Bytes[p]
	}
	if p < len(o.Rows) {
		b += o.Rows[p] * RowOverheadBytes
	}
	return b
}

func totalMem(outs []task.MapOutput) int64 {
	var t int64
	for _, o := range outs {
		for p := range max(len(o.Mem), len(o.Bytes)) {
			t += outMem(o, p)
		}
	}
	return t
}

// mapSizes is partition part's bytes in each map output.
func mapSizes(outs []task.MapOutput, part int) []int64 {
	s := make([]int64, len(outs))
	for m, o := range outs {
		if part < len(o.Bytes) {
			s[m] = o.Bytes[part]
		}
	}
	return s
}

func totalBytes(outs []task.MapOutput) int64 {
	var t int64
	for _, o := range outs {
		t += sum(o.Bytes)
	}
	return t
}

func sum(s []int64) int64 {
	var t int64
	for _, v := range s {
		t += v
	}
	return t
}

func sortInt64(s []int64) { slices.Sort(s) }
