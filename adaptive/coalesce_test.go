package adaptive

import (
	"reflect"
	"testing"
)

func TestCoalesce(t *testing.T) {
	for _, tc := range []struct {
		name   string
		sizes  [][]int64
		target int64
		skip   map[int]bool
		want   []Span
	}{
		{"all small", [][]int64{{1, 2, 3, 4}}, 100, nil, []Span{{0, 4}}},
		{"runs up to target", [][]int64{{40, 40, 40, 40, 40}}, 100, nil, []Span{{0, 2}, {2, 4}, {4, 5}}},
		{"one partition over target stays alone", [][]int64{{10, 500, 10, 10}}, 100, nil, []Span{{0, 1}, {1, 2}, {2, 4}}},
		{"sides summed: same runs for both", [][]int64{{30, 30, 30}, {30, 30, 30}}, 100, nil, []Span{{0, 1}, {1, 2}, {2, 3}}},
		{"tiny tail merged into previous run", [][]int64{{60, 30, 5}}, 100, nil, []Span{{0, 3}}},
		{"skipped partitions cut runs", [][]int64{{1, 1, 900, 1, 1}}, 100, map[int]bool{2: true}, []Span{{0, 2}, {3, 5}}},
		{"empty partitions ride along", [][]int64{{0, 0, 0}}, 100, nil, []Span{{0, 3}}},
		{"every partition skipped", [][]int64{{900}}, 100, map[int]bool{0: true}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Coalesce(tc.sizes, nil, tc.target, 0, tc.skip); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Coalesce = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSplitMaps(t *testing.T) {
	for _, tc := range []struct {
		name   string
		sizes  []int64
		target int64
		want   []Span
	}{
		{"one map output", []int64{1000}, 100, []Span{{0, 1}}},
		{"even pieces", []int64{50, 50, 50, 50}, 100, []Span{{0, 2}, {2, 4}}},
		{"big map output alone", []int64{10, 300, 10}, 100, []Span{{0, 1}, {1, 2}, {2, 3}}},
		{"empty", nil, 100, []Span{{0, 0}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := SplitMaps(tc.sizes, nil, tc.target, 0); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("SplitMaps = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSkewed(t *testing.T) {
	for _, tc := range []struct {
		name      string
		sizes     []int64
		factor    float64
		threshold int64
		want      map[int]bool
		median    int64
	}{
		{"over factor and threshold", []int64{10, 10, 310, 10, 10}, 5, 100, map[int]bool{2: true}, 10},
		{"under threshold", []int64{10, 10, 90, 10, 10}, 5, 100, map[int]bool{}, 10},
		{"under factor", []int64{100, 100, 400, 100, 100}, 5, 10, map[int]bool{}, 100},
		{"two skewed", []int64{500, 10, 10, 600, 10}, 5, 100, map[int]bool{0: true, 3: true}, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, med := Skewed(tc.sizes, tc.factor, tc.threshold)
			if !reflect.DeepEqual(got, tc.want) || med != tc.median {
				t.Fatalf("Skewed = %v (median %d), want %v (median %d)", got, med, tc.want, tc.median)
			}
		})
	}
}

func TestTarget(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cfg   Config
		total int64
		want  int64
	}{
		{"advisory when data is large", Config{AdvisoryBytes: 64, MinTasks: 4, MinPartitionBytes: 1}, 10000, 64},
		{"lowered to keep the slots busy", Config{AdvisoryBytes: 64, MinTasks: 4, MinPartitionBytes: 1}, 100, 25},
		{"not below the minimum", Config{AdvisoryBytes: 64, MinTasks: 4, MinPartitionBytes: 10}, 8, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.cfg.target(tc.total); got != tc.want {
				t.Fatalf("target = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestCoalesceMemCap(t *testing.T) {
	for _, tc := range []struct {
		name        string
		sizes, mem  [][]int64
		target, cap int64
		want        []Span
	}{
		{"no cap: advisory size only", [][]int64{{10, 10, 10, 10}}, [][]int64{{50, 50, 50, 50}}, 100, 0, []Span{{0, 4}}},
		{"cap cuts runs below target", [][]int64{{10, 10, 10, 10}}, [][]int64{{50, 50, 50, 50}}, 100, 100, []Span{{0, 2}, {2, 4}}},
		{"target binds before a loose cap", [][]int64{{40, 40, 40, 40}}, [][]int64{{50, 50, 50, 50}}, 100, 1000, []Span{{0, 2}, {2, 4}}},
		{"partition over the cap alone", [][]int64{{10, 10, 10}}, [][]int64{{10, 300, 10}}, 100, 100, []Span{{0, 1}, {1, 2}, {2, 3}}},
		{"sides summed in memory", [][]int64{{1, 1, 1}, {1, 1, 1}}, [][]int64{{30, 30, 30}, {30, 30, 30}}, 100, 100, []Span{{0, 1}, {1, 2}, {2, 3}}},
		{"tiny tail kept apart when it breaks the cap", [][]int64{{60, 5}}, [][]int64{{90, 20}}, 100, 100, []Span{{0, 1}, {1, 2}}},
		{"tiny tail merged when it fits", [][]int64{{60, 5}}, [][]int64{{70, 20}}, 100, 100, []Span{{0, 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Coalesce(tc.sizes, tc.mem, tc.target, tc.cap, nil); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Coalesce = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSplitMapsMemCap(t *testing.T) {
	for _, tc := range []struct {
		name        string
		sizes, mem  []int64
		target, cap int64
		want        []Span
	}{
		{"cap cuts pieces below target", []int64{10, 10, 10, 10}, []int64{60, 60, 60, 60}, 100, 100, []Span{{0, 1}, {1, 2}, {2, 3}, {3, 4}}},
		{"loose cap: target only", []int64{50, 50, 50, 50}, []int64{60, 60, 60, 60}, 100, 1000, []Span{{0, 2}, {2, 4}}},
		{"mem missing: target only", []int64{50, 50, 50, 50}, nil, 100, 10, []Span{{0, 2}, {2, 4}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := SplitMaps(tc.sizes, tc.mem, tc.target, tc.cap); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("SplitMaps = %v, want %v", got, tc.want)
			}
		})
	}
}
