package task

// ReadRange narrows what a task reads from one upstream stage (adaptive
// execution): partitions [PartStart, PartEnd) of the map outputs
// [MapStart, MapEnd). Coalesced tasks read a run of partitions from every
// map output; a skewed partition split into several tasks gives each a run
// of the map outputs; a join switched to broadcast reads every partition of
// every map output of its build side.
type ReadRange struct {
	PartStart int `json:"part_start"`
	PartEnd   int `json:"part_end"`
	MapStart  int `json:"map_start"`
	MapEnd    int `json:"map_end"`
}

// Reads maps an upstream stage ID to the range a task reads of it.
type Reads map[int]ReadRange
