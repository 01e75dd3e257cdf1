// Package adaptive re-plans a stage from the exact sizes of its parents'
// map outputs before its tasks launch (adaptive query execution, after
// Spark's AQE): small reduce partitions are coalesced into tasks of about
// an advisory size, a skewed partition of a shuffled join is split into
// several tasks by runs of map outputs, and a shuffled join whose build
// side turned out small runs as a broadcast join. The result is a task
// list of read ranges (task.ReadRange) and the decisions, kept for explain
// and the run summary.
package adaptive
