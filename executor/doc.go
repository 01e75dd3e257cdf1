// Package executor runs tasks: it builds a fragment's operators for the
// task's partition and drives them into the task's output — a shuffle
// object (hash, range, single or broadcast partitioning), a sink's staged
// files, or a sample of sort keys for range bounds. Runtime.Run is the one
// entry point; Local wraps it as an in-process task.Executor, and the
// cluster executor service calls the same Run for tasks that arrive over
// the network.
package executor
