// Package driver schedules a job's stage graph on executors: a stage starts
// when the stages it reads have finished; each of its partitions becomes a
// task handed to a task.Executor (in-process slots locally, Nomad-run
// processes in cluster mode — the scheduler cannot tell). It retries failed
// attempts by error class, re-runs only the map tasks whose shuffle output
// went missing (lineage), samples range-partitioned stages for their
// bounds, then commits every sink exactly once.
package driver
