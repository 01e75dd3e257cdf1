package optimizer

import (
	"testing"

	"github.com/drover-etl/drover/plan/logical"
)

func TestJoinStrategy(t *testing.T) {
	const mib = 1 << 20
	big := scan("big", 1<<30, "id:int64", "v:string")
	small := scan("small", mib, "id:int64", "name:string")
	unknown := scan("unk", 0, "id:int64")
	mid, mid2 := scan("mid", 64*mib, "id:int64", "name:string"), scan("mid2", 80*mib, "id:int64", "name:string")
	small2 := scan("small2", 2*mib, "id:int64", "name:string")
	hinted := join(logical.InnerJoin, small, big, "id", "id")
	hinted.Strategy = logical.StrategyShuffle
	tests := []struct {
		name string
		in   logical.Node
		cfg  Config
		want string
	}{
		{"small right is broadcast", join(logical.InnerJoin, big, small, "id", "id"), Config{}, `
			Join inner broadcast on [big.id#0] = [small.id#0]
			  Scan big [parquet data/big] columns=[id, v]
			  Scan small [parquet data/small] columns=[id, name]`},
		{"small left is swapped to build side", join(logical.InnerJoin, small, big, "id", "id"), Config{}, `
			Project small.id#2 AS id, small.name#3 AS name, big.id#0 AS id, big.v#1 AS v
			  Join inner broadcast on [big.id#0] = [small.id#0]
			    Scan big [parquet data/big] columns=[id, v]
			    Scan small [parquet data/small] columns=[id, name]`},
		{"above threshold is shuffled", join(logical.InnerJoin, big, small, "id", "id"), Config{BroadcastThresholdBytes: mib / 4}, `
			Join inner shuffle on [big.id#0] = [small.id#0]
			  Scan big [parquet data/big] columns=[id, v]
			  Scan small [parquet data/small] columns=[id, name]`},
		{"broadcast disabled", join(logical.InnerJoin, big, small, "id", "id"), Config{BroadcastThresholdBytes: -1}, `
			Join inner shuffle on [big.id#0] = [small.id#0]
			  Scan big [parquet data/big] columns=[id, v]
			  Scan small [parquet data/small] columns=[id, name]`},
		{"unknown size is never broadcast", join(logical.InnerJoin, unknown, big, "id", "id"), Config{}, `
			Join inner shuffle on [unk.id#0] = [big.id#0]
			  Scan unk [parquet data/unk] columns=[id]
			  Scan big [parquet data/big] columns=[id, v]`},
		{"unknown size counts as large", join(logical.InnerJoin, small, unknown, "id", "id"), Config{}, `
			Project small.id#1 AS id, small.name#2 AS name, unk.id#0 AS id
			  Join inner broadcast on [unk.id#0] = [small.id#0]
			    Scan unk [parquet data/unk] columns=[id]
			    Scan small [parquet data/small] columns=[id, name]`},
		{"left join keeps its build side", join(logical.LeftJoin, small, big, "id", "id"), Config{}, `
			Join left shuffle on [small.id#0] = [big.id#0]
			  Scan small [parquet data/small] columns=[id, name]
			  Scan big [parquet data/big] columns=[id, v]`},
		{"anti join broadcasts a small right", join(logical.AntiJoin, big, small, "id", "id"), Config{}, `
			Join anti broadcast on [big.id#0] = [small.id#0]
			  Scan big [parquet data/big] columns=[id, v]
			  Scan small [parquet data/small] columns=[id, name]`},
		{"past the default threshold, a probe side too small for the ratio shuffles",
			join(logical.InnerJoin, mid2, mid, "id", "id"), Config{BroadcastThresholdBytes: 1 << 30, BroadcastProbeRatio: 2}, `
			Join inner shuffle on [mid2.id#0] = [mid.id#0]
			  Scan mid2 [parquet data/mid2] columns=[id, name]
			  Scan mid [parquet data/mid] columns=[id, name]`},
		{"past the default threshold, a probe side large enough broadcasts",
			join(logical.InnerJoin, big, mid, "id", "id"), Config{BroadcastThresholdBytes: 1 << 30, BroadcastProbeRatio: 2}, `
			Join inner broadcast on [big.id#0] = [mid.id#0]
			  Scan big [parquet data/big] columns=[id, v]
			  Scan mid [parquet data/mid] columns=[id, name]`},
		{"below the default threshold the ratio does not apply",
			join(logical.InnerJoin, small2, small, "id", "id"), Config{BroadcastThresholdBytes: 1 << 30, BroadcastProbeRatio: 2}, `
			Join inner broadcast on [small2.id#0] = [small.id#0]
			  Scan small2 [parquet data/small2] columns=[id, name]
			  Scan small [parquet data/small] columns=[id, name]`},
		{"hint kept", hinted, Config{}, `
			Join inner shuffle on [small.id#0] = [big.id#0]
			  Scan small [parquet data/small] columns=[id, name]
			  Scan big [parquet data/big] columns=[id, v]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkFormat(t, applyOne(t, JoinStrategy, tt.in, tt.cfg), tt.want)
		})
	}
}

func TestJoinStrategySwapRemapsFilter(t *testing.T) {
	small := scan("small", 1000, "id:int64", "lo:int64")
	big := scan("big", 1<<40, "k:int64", "id:int64", "x:int64")
	j := join(logical.InnerJoin, small, big, "id", "id")
	j.Filter = lt(joinCol(small, big, "lo"), joinCol(small, big, "x"))
	out := applyOne(t, JoinStrategy, write(project(j, "x", col(j, "x"), "lo", col(j, "lo"))), Config{})
	checkFormat(t, out.Children()[0], `
		Project big.x#4 AS x, small.lo#1 AS lo
		  Project small.id#3 AS id, small.lo#4 AS lo, big.k#0 AS k, big.id#1 AS id, big.x#2 AS x
		    Join inner broadcast on [big.id#1] = [small.id#0] filter (small.lo#4 < big.x#2)
		      Scan big [parquet data/big] columns=[k, id, x]
		      Scan small [parquet data/small] columns=[id, lo]
	`)
}

func TestEstimate(t *testing.T) {
	s := scan("t", 1000, "a:int64", "b:int64")
	narrow := scan("t", 1000, "a:int64", "b:int64")
	narrow.Projection = []int{0}
	tests := []struct {
		name string
		in   logical.Node
		want float64
	}{
		{"scan", s, 1000},
		{"projected scan", narrow, 500},
		{"filter", filter(s, gt(col(s, "a"), lit(1))), 250},
		{"limit", &logical.Limit{Input: s, N: 2}, 32},
		{"global aggregate", groupBy(s, nil, aggr(0, col(s, "a"), "x")), 8},
		{"union", &logical.Union{Inputs: []logical.Node{s, s}}, 2000},
	}
	for _, tt := range tests {
		if got := estimate(tt.in); got != tt.want {
			t.Errorf("%s: estimate = %v, want %v", tt.name, got, tt.want)
		}
	}
}
