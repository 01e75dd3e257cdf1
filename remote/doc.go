// Package remote is the executor's network protocol: a gRPC service
// (drover.executor.v1.Executor) with RunTask, Cancel, Status and Shutdown,
// a Server that runs tasks on an executor.Runtime, and a Client that
// implements the same calls for the driver. Messages are the task package's
// JSON-serializable Spec and Result, carried by a JSON codec, so the wire
// format is exactly what the local executor already round-trips in tests.
// Task error classes (retryable, fatal, fetch-failed) survive the wire;
// transport failures surface as ErrExecutorLost.
//
// Every connection is mutual TLS with certificates of a CA the driver
// makes for the run (RunCA), and every call carries the run's token; an
// executor without both refuses to start (ServerAuthFromEnv, NewServer).
package remote
