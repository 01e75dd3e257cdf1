// Package task is the contract between the driver's scheduler and the
// executors: a task Spec (a serializable plan fragment plus where its
// inputs are and where its output goes), the Result it reports, the
// Executor interface that local and cluster executors both implement, and
// the error classes that decide retries (retryable, fatal, fetch failure).
package task
