// Package udfhost runs UDF plugins for the engine: it finds each plugin's
// binary (a local path, or a URL fetched and checked against its sha256),
// starts it once per process as a go-plugin subprocess, and serves every
// task from it. Its Host answers the planner (result types of scalar
// functions, output schemas of transforms) and the operators (batch calls
// and transform streams), so the engine sees plugins only through
// expr.FuncResolver, jobplan.TransformResolver, eval.ScalarUDF and
// operator.Transformer.
//
// It supervises too: a plugin's stderr goes to the log under its name; a
// crash fails the call with the plugin's last stderr lines and a retryable
// task error, and the next call starts a fresh process; a call that takes
// longer than Config.CallTimeout kills the plugin the same way; results of
// the wrong type, length or schema are fatal errors. Stage and Fetch ship
// binaries to executors through an object store, content-addressed by
// sha256 (ship.go).
package udfhost
