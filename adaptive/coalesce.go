package adaptive

// Span is a run [Start, End) of partitions or of map outputs.
type Span struct{ Start, End int }

// Coalesce groups partitions into contiguous runs of about target bytes.
// sizes[i][p] is input i's size of partition p; co-partitioned inputs (the
// two sides of a join) are summed so that both get the same runs. A run
// closes before the partition that would take it past target, or past
// memCap bytes in memory when memCap > 0 (mem is laid out as sizes: each
// input's in-memory bytes per partition). Partitions in skip (skewed ones,
// handled on their own) close the run before them and are left out.
// Empty partitions join whatever run they fall in.
func Coalesce(sizes, mem [][]int64, target, memCap int64, skip map[int]bool) []Span {
	n := 0
	if len(sizes) > 0 {
		n = len(sizes[0])
	}
	if memCap <= 0 {
		mem = nil
	}
	var out []Span
	start, acc, accMem := -1, int64(0), int64(0)
	flush := func(end int) {
		if start >= 0 {
			out = append(out, Span{start, end})
		}
		start, acc, accMem = -1, 0, 0
	}
	for p := 0; p < n; p++ {
		if skip[p] {
			flush(p)
			continue
		}
		sz, msz := column(sizes, p), column(mem, p)
		if start >= 0 && (acc+sz > target || (mem != nil && accMem+msz > memCap)) {
			flush(p)
		}
		if start < 0 {
			start = p
		}
		acc += sz
		accMem += msz
	}
	flush(n)
	return mergeSmall(out, sizes, mem, target, memCap)
}

// column is partition p summed over the inputs.
func column(sizes [][]int64, p int) int64 {
	var t int64
	for _, in := range sizes {
		t += in[p]
	}
	return t
}

// mergeSmall folds a last run much smaller than target into the run before
// it when the two fit together (also in memory), so that a tail of a few
// bytes does not cost a task of its own (Spark merges runs under 20% of
// the target).
func mergeSmall(runs []Span, sizes, mem [][]int64, target, memCap int64) []Span {
	if len(runs) < 2 {
		return runs
	}
	last, prev := runs[len(runs)-1], runs[len(runs)-2]
	if prev.End != last.Start {
		return runs
	}
	ls, ps := spanBytes(sizes, last), spanBytes(sizes, prev)
	fitsMem := mem == nil || spanBytes(mem, last)+spanBytes(mem, prev) <= memCap
	if ls*5 < target && ls+ps <= target+target/5 && fitsMem {
		runs[len(runs)-2].End = last.End
		return runs[:len(runs)-1]
	}
	return runs
}

func spanBytes(sizes [][]int64, s Span) int64 {
	var t int64
	for _, in := range sizes {
		for p := s.Start; p < s.End; p++ {
			t += in[p]
		}
	}
	return t
}

// SplitMaps cuts one partition's per-map-output sizes into contiguous runs
// of map outputs of about target bytes each (at least one run), and of at
// most memCap bytes in memory by mapMem when memCap > 0 (a single map
// output over it stays a run of its own).
func SplitMaps(mapSizes, mapMem []int64, target, memCap int64) []Span {
	if memCap <= 0 || len(mapMem) != len(mapSizes) {
		mapMem = nil
	}
	var out []Span
	start, acc, accMem := 0, int64(0), int64(0)
	for m, sz := range mapSizes {
		msz := int64(0)
		if mapMem != nil {
			msz = mapMem[m]
		}
		if m > start && (acc+sz > target || (mapMem != nil && accMem+msz > memCap)) {
			out = append(out, Span{start, m})
			start, acc, accMem = m, 0, 0
		}
		acc += sz
		accMem += msz
	}
	return append(out, Span{start, len(mapSizes)})
}

// Skewed returns the partitions of sizes larger than both factor × the
// median and threshold, with the median.
func Skewed(sizes []int64, factor float64, threshold int64) (map[int]bool, int64) {
	med := median(sizes)
	out := map[int]bool{}
	for p, sz := range sizes {
		if sz > threshold && float64(sz) > factor*float64(med) {
			out[p] = true
		}
	}
	return out, med
}

func median(sizes []int64) int64 {
	if len(sizes) == 0 {
		return 0
	}
	s := append([]int64(nil), sizes...)
	sortInt64(s)
	return s[len(s)/2]
}
