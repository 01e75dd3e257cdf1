package adaptive

import (
	"strings"
	"testing"

	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/stage"
	"github.com/drover-etl/drover/task"
)

const mib = 1 << 20

// joinGraph is two map stages of 4 map outputs each, hash-partitioned 4
// ways, and a shuffled join stage reading them.
func joinGraph(jt logical.JoinType) *stage.Graph {
	read := func(id int) *physical.Node {
		return &physical.Node{Op: physical.OpStageRead, Read: &physical.ReadSpec{Stage: id, Kind: physical.PartHash}}
	}
	join := &physical.Node{Op: physical.OpHashJoin, Inputs: []*physical.Node{read(0), read(1)},
		Join: &physical.JoinSpec{Type: jt, Strategy: logical.StrategyShuffle}}
	root := &physical.Node{Op: physical.OpProject, Inputs: []*physical.Node{join}}
	hash := &physical.ExchangeSpec{Kind: physical.PartHash, Partitions: 4}
	return &stage.Graph{Stages: []*stage.Stage{
		{ID: 0, Output: hash, Partitions: 4, Root: &physical.Node{Op: physical.OpScan}},
		{ID: 1, Output: hash, Partitions: 4, Root: &physical.Node{Op: physical.OpScan}},
		{ID: 2, Root: root, Parents: []int{0, 1}, Partitions: 4, Output: &physical.ExchangeSpec{Kind: physical.PartSingle, Partitions: 1}},
	}}
}

// outputs makes maps map outputs whose partition p holds per[p]/maps bytes.
func outputs(maps int, per ...int64) []task.MapOutput {
	outs := make([]task.MapOutput, maps)
	for m := range outs {
		outs[m].Bytes = make([]int64, len(per))
		outs[m].Rows = make([]int64, len(per))
		for p, b := range per {
			outs[m].Bytes[p] = b / int64(maps)
			outs[m].Rows[p] = 1
		}
	}
	return outs
}

var skewCfg = Config{AdvisoryBytes: 64 * mib, SkewThresholdBytes: 256 * mib, SkewFactor: 5, BroadcastBytes: -1, MinTasks: 1}

// The left side's partition 1 is skewed (400 MiB vs 40 MiB); the right
// side is even. Which join types split it is Spark's rule.
func TestPlanStageSkewSplitByJoinType(t *testing.T) {
	left := outputs(4, 40*mib, 400*mib, 40*mib, 40*mib)
	right := outputs(4, 40*mib, 40*mib, 40*mib, 40*mib)
	for _, tc := range []struct {
		jt    logical.JoinType
		split bool
	}{
		{logical.InnerJoin, true}, {logical.LeftJoin, true}, {logical.SemiJoin, true},
		{logical.AntiJoin, true}, {logical.MarkJoin, true},
		{logical.RightJoin, false}, {logical.FullJoin, false},
	} {
		t.Run(tc.jt.String(), func(t *testing.T) {
			g := joinGraph(tc.jt)
			p := PlanStage(g, g.Stages[2], map[int][]task.MapOutput{0: left, 1: right}, skewCfg)
			if !tc.split {
				if p != nil && len(p.Decision.Skew) > 0 {
					t.Fatalf("%s join split: %v", tc.jt, p.Decision)
				}
				return
			}
			if p == nil || len(p.Decision.Skew) != 1 || p.Decision.Skew[0].Partition != 1 || p.Decision.Skew[0].Side != "left" {
				t.Fatalf("want partition 1 split on the left, got %+v", p)
			}
			// 4 map outputs of 100 MiB each at a 64 MiB target: one task each.
			var pieces []task.ReadRange
			for _, r := range p.Tasks {
				if r[0].PartStart == 1 {
					pieces = append(pieces, r[0])
					if r[1] != (task.ReadRange{PartStart: 1, PartEnd: 2, MapStart: 0, MapEnd: 4}) {
						t.Fatalf("split task reads %+v of the right side, want all of partition 1", r[1])
					}
				}
			}
			if len(pieces) != 4 || pieces[0].MapStart != 0 || pieces[3].MapEnd != 4 {
				t.Fatalf("partition 1 pieces %+v", pieces)
			}
			checkCover(t, p, 4, 4)
		})
	}
}

// Right-side skew splits right and inner joins, not left joins.
func TestPlanStageSkewSplitRightSide(t *testing.T) {
	even := outputs(4, 40*mib, 40*mib, 40*mib, 40*mib)
	skewed := outputs(4, 40*mib, 40*mib, 40*mib, 400*mib)
	for _, tc := range []struct {
		jt    logical.JoinType
		split bool
	}{{logical.InnerJoin, true}, {logical.RightJoin, true}, {logical.LeftJoin, false}, {logical.SemiJoin, false}, {logical.FullJoin, false}} {
		g := joinGraph(tc.jt)
		p := PlanStage(g, g.Stages[2], map[int][]task.MapOutput{0: even, 1: skewed}, skewCfg)
		got := p != nil && len(p.Decision.Skew) == 1 && p.Decision.Skew[0].Side == "right"
		if got != tc.split {
			t.Fatalf("%s join: right split = %v, want %v (%+v)", tc.jt, got, tc.split, p)
		}
	}
}

func TestPlanStageCoalescesBothSidesAlike(t *testing.T) {
	g := joinGraph(logical.FullJoin)
	outs := map[int][]task.MapOutput{0: outputs(2, 10*mib, 10*mib, 10*mib, 10*mib), 1: outputs(2, 10*mib, 10*mib, 10*mib, 10*mib)}
	p := PlanStage(g, g.Stages[2], outs, Config{AdvisoryBytes: 40 * mib, MinTasks: 1})
	if p == nil || len(p.Tasks) != 2 || !p.Decision.Coalesced {
		t.Fatalf("want 2 coalesced tasks, got %+v", p)
	}
	for _, r := range p.Tasks {
		if r[0].PartStart != r[1].PartStart || r[0].PartEnd != r[1].PartEnd {
			t.Fatalf("sides read different partitions: %+v", r)
		}
	}
	checkCover(t, p, 2, 2)
}

func TestPlanStageSwitchesToBroadcast(t *testing.T) {
	g := joinGraph(logical.LeftJoin)
	outs := map[int][]task.MapOutput{0: outputs(2, 100*mib, 100*mib, 100*mib, 100*mib), 1: outputs(2, mib, mib, mib, mib)}
	p := PlanStage(g, g.Stages[2], outs, Config{BroadcastBytes: 8 * mib, MinTasks: 1})
	if p == nil || p.Decision.Broadcast == nil || p.Decision.Broadcast.BuildBytes != 4*mib {
		t.Fatalf("want a broadcast switch, got %+v", p)
	}
	for _, r := range p.Tasks {
		if r[1] != (task.ReadRange{PartStart: 0, PartEnd: 4, MapStart: 0, MapEnd: 2}) {
			t.Fatalf("broadcast task reads %+v of the build side, want all of it", r[1])
		}
	}
	if !strings.Contains(p.Decision.String(), "join switched to broadcast (build side: stage 1, 4.0 MiB)") {
		t.Fatalf("decision reads %q", p.Decision)
	}
	// A build side scattered over too many pieces stays shuffled.
	scattered := outputs(MaxBroadcastPieces/4+1, 4, 4, 4, 4)
	if p := PlanStage(g, g.Stages[2], map[int][]task.MapOutput{0: outs[0], 1: scattered}, Config{BroadcastBytes: 8 * mib, MinTasks: 1}); p != nil && p.Decision.Broadcast != nil {
		t.Fatalf("a build side of %d pieces switched to broadcast", 4*len(scattered))
	}
	// A right join keeps unmatched build rows: never broadcast.
	g = joinGraph(logical.RightJoin)
	if p := PlanStage(g, g.Stages[2], outs, Config{BroadcastBytes: 8 * mib, MinTasks: 1}); p != nil && p.Decision.Broadcast != nil {
		t.Fatalf("right join switched to broadcast: %v", p.Decision)
	}
}

func TestPlanStageLeavesStagesAlone(t *testing.T) {
	outs := map[int][]task.MapOutput{0: outputs(2, 1, 1, 1, 1), 1: outputs(2, 1, 1, 1, 1)}
	for _, tc := range []struct {
		name string
		edit func(g *stage.Graph)
		cfg  Config
	}{
		{"disabled", func(*stage.Graph) {}, Config{Disabled: true}},
		{"fixed repartition", func(g *stage.Graph) {
			g.Stages[0].Output = &physical.ExchangeSpec{Kind: physical.PartHash, Partitions: 4, Fixed: true}
		}, Config{}},
		{"range read", func(g *stage.Graph) { g.Stages[2].Root.Inputs[0].Inputs[0].Read.Kind = physical.PartRange }, Config{}},
		{"scan in stage", func(g *stage.Graph) {
			g.Stages[2].Root.Inputs = append(g.Stages[2].Root.Inputs, &physical.Node{Op: physical.OpScan})
		}, Config{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := joinGraph(logical.InnerJoin)
			tc.edit(g)
			if p := PlanStage(g, g.Stages[2], outs, tc.cfg); p != nil {
				t.Fatalf("stage adapted: %v", p.Decision)
			}
		})
	}
}

// checkCover asserts that, per (partition, map output) pair, every left
// piece meets every right piece exactly once: the split join outputs each
// pair of rows once.
func checkCover(t *testing.T, p *Plan, lmaps, rmaps int) {
	t.Helper()
	seen := map[[3]int]int{}
	for _, r := range p.Tasks {
		l, rr := r[0], r[1]
		for part := l.PartStart; part < l.PartEnd; part++ {
			for lm := l.MapStart; lm < l.MapEnd; lm++ {
				for rm := rr.MapStart; rm < rr.MapEnd; rm++ {
					seen[[3]int{part, lm, rm}]++
				}
			}
		}
	}
	for part := 0; part < 4; part++ {
		for lm := 0; lm < lmaps; lm++ {
			for rm := 0; rm < rmaps; rm++ {
				if seen[[3]int{part, lm, rm}] != 1 {
					t.Fatalf("partition %d left map %d × right map %d met %d times", part, lm, rm, seen[[3]int{part, lm, rm}])
				}
			}
		}
	}
}

// The graph as run shows the adapted task count and a switched join as a
// broadcast join reading all of its build side; the planned graph is not
// changed.
func TestFinal(t *testing.T) {
	g := joinGraph(logical.InnerJoin)
	for _, st := range g.Stages[:2] {
		st.Root = &physical.Node{Op: physical.OpValues, Values: &physical.ValuesSpec{}}
	}
	d := Decision{Stage: 2, Partitions: 4, Tasks: 2, Coalesced: true, Broadcast: &Broadcast{BuildStage: 1, BuildBytes: 3 * mib}}
	fg, err := Final(g, []Decision{d})
	if err != nil {
		t.Fatal(err)
	}
	st := fg.Stages[2]
	join := st.Root.Inputs[0]
	if st.Partitions != 2 || join.Join.Strategy != logical.StrategyBroadcast || join.Inputs[1].Read.Kind != physical.PartBroadcast {
		t.Fatalf("final stage 2: tasks %d, strategy %v, build read %v", st.Partitions, join.Join.Strategy, join.Inputs[1].Read.Kind)
	}
	if g.Stages[2].Partitions != 4 || g.Stages[2].Root.Inputs[0].Join.Strategy != logical.StrategyShuffle {
		t.Fatal("Final changed the planned graph")
	}
	want := "stage 2: 4 partitions coalesced into 2 tasks; join switched to broadcast (build side: stage 1, 3.0 MiB)"
	if d.String() != want {
		t.Fatalf("decision reads %q, want %q", d, want)
	}
}

// withMem records ratio × the encoded bytes as each partition's size in
// memory.
func withMem(outs []task.MapOutput, ratio int64) []task.MapOutput {
	for m := range outs {
		outs[m].Mem = make([]int64, len(outs[m].Bytes))
		for p, b := range outs[m].Bytes {
			outs[m].Mem[p] = b * ratio
		}
	}
	return outs
}

// Under a task budget the coalesced tasks shrink so that the input they
// hold in memory (the join's build side: the probe side streams) fits
// half the budget; the decision says so.
func TestPlanStageCoalescingUnderTaskBudget(t *testing.T) {
	g := joinGraph(logical.InnerJoin)
	mk := func() map[int][]task.MapOutput {
		return map[int][]task.MapOutput{
			0: withMem(outputs(2, 8*mib, 8*mib, 8*mib, 8*mib), 4),
			1: withMem(outputs(2, 2*mib, 2*mib, 2*mib, 2*mib), 4),
		}
	}
	for _, tc := range []struct {
		name   string
		budget int64
		tasks  int
		note   string
	}{
		{"no budget: advisory size", 0, 1, "4 partitions coalesced into 1 task"},
		{"loose budget: advisory size", 1 << 30, 1, "4 partitions coalesced into 1 task"},
		{"budget caps tasks", 40 * mib, 2, "4 partitions coalesced into 2 tasks (cap 20.0 MiB in memory from the task budget of 40.0 MiB)"},
		{"budget below one partition", 6 * mib, 4, "4 partitions run as 4 tasks (cap 3.0 MiB in memory from the task budget of 6.0 MiB); 4 partitions over the memory cap alone (may spill)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := PlanStage(g, g.Stages[2], mk(), Config{AdvisoryBytes: 64 * mib, MinTasks: 1, BroadcastBytes: -1, TaskMemoryBytes: tc.budget})
			if p == nil || len(p.Tasks) != tc.tasks || p.Decision.Changes() != tc.note {
				t.Fatalf("want %d tasks noted %q, got %+v", tc.tasks, tc.note, p)
			}
			checkCover(t, p, 2, 2)
		})
	}
}

// A skewed build-side partition's pieces keep under the cap in memory
// too; a skewed probe side streams and is split by size alone.
func TestPlanStageSkewPiecesUnderTaskBudget(t *testing.T) {
	g := joinGraph(logical.InnerJoin)
	even, skewed := withMem(outputs(4, 40*mib, 40*mib, 40*mib, 40*mib), 4), withMem(outputs(8, 40*mib, 400*mib, 40*mib, 40*mib), 4)
	outs := map[int][]task.MapOutput{0: even, 1: skewed}
	cfg := skewCfg
	cfg.AdvisoryBytes = 128 * mib
	p := PlanStage(g, g.Stages[2], outs, cfg)
	if p == nil || len(p.Decision.Skew) != 1 || p.Decision.Skew[0].Tasks != 4 {
		t.Fatalf("without a budget want 4 pieces of 100 MiB, got %+v", p)
	}
	cfg.TaskMemoryBytes = 400 * mib // cap 200 MiB: one 50 MiB (200 MiB in memory) map output a piece
	p = PlanStage(g, g.Stages[2], outs, cfg)
	if p == nil || len(p.Decision.Skew) != 1 || p.Decision.Skew[0].Tasks != 8 {
		t.Fatalf("under a 400 MiB budget want 8 pieces, got %+v", p)
	}
	checkCover(t, p, 4, 8)
	// The same skew on the probe side: split by size alone.
	p = PlanStage(g, g.Stages[2], map[int][]task.MapOutput{0: skewed, 1: even}, cfg)
	if p == nil || len(p.Decision.Skew) != 1 || p.Decision.Skew[0].Side != "left" || p.Decision.Skew[0].Tasks != 4 {
		t.Fatalf("probe-side skew under a budget: want 4 pieces, got %+v", p)
	}
}

// A stage that sorts a hash read joined to a broadcast build: the sort
// holds the hash input, and every task holds the whole build besides.
func TestPlanStageCapLessBroadcastBuilds(t *testing.T) {
	hash := &physical.ExchangeSpec{Kind: physical.PartHash, Partitions: 4}
	join := &physical.Node{Op: physical.OpHashJoin, Join: &physical.JoinSpec{Type: logical.InnerJoin, Strategy: logical.StrategyBroadcast},
		Inputs: []*physical.Node{
			{Op: physical.OpStageRead, Read: &physical.ReadSpec{Stage: 0, Kind: physical.PartHash}},
			{Op: physical.OpStageRead, Read: &physical.ReadSpec{Stage: 1, Kind: physical.PartBroadcast}},
		}}
	g := &stage.Graph{Stages: []*stage.Stage{
		{ID: 0, Output: hash, Partitions: 4, Root: &physical.Node{Op: physical.OpScan}},
		{ID: 1, Output: &physical.ExchangeSpec{Kind: physical.PartBroadcast, Partitions: 1}, Partitions: 1, Root: &physical.Node{Op: physical.OpScan}},
		{ID: 2, Root: &physical.Node{Op: physical.OpSort, Inputs: []*physical.Node{join}}, Parents: []int{0, 1}, Partitions: 4,
			Output: &physical.ExchangeSpec{Kind: physical.PartSingle, Partitions: 1}},
	}}
	for _, tc := range []struct {
		name  string
		build int64 // the broadcast build's bytes in memory
		tasks int
		note  string
	}{
		{"small build: cap less the build", 4 * mib, 4, "4 partitions run as 4 tasks (cap 16.0 MiB in memory from the task budget of 40.0 MiB)"},
		{"build over the cap: no cap", 30 * mib, 1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			outs := map[int][]task.MapOutput{
				0: withMem(outputs(2, 2*mib, 2*mib, 2*mib, 2*mib), 5), // 10 MiB a partition in memory
				1: {{Bytes: []int64{tc.build / 4}, Rows: []int64{1}, Mem: []int64{tc.build}}},
			}
			p := PlanStage(g, g.Stages[2], outs, Config{AdvisoryBytes: 64 * mib, MinTasks: 1, TaskMemoryBytes: 40 * mib})
			if p == nil || len(p.Tasks) != tc.tasks || (tc.note != "" && p.Decision.Changes() != tc.note) || (tc.note == "" && p.Decision.MemoryCap != 0) {
				t.Fatalf("want %d tasks noted %q, got %+v", tc.tasks, tc.note, p)
			}
		})
	}
}
