// Package udf is Drover's protocol for user-defined functions, and the SDK
// for writing them. A plugin is an ordinary program that Drover's executors
// start as a subprocess (hashicorp/go-plugin) and talk to over gRPC,
// exchanging Arrow record batches: whole columns per call, never a row at a
// time. It lives apart from the plugins (plugins/<name>/) and from the
// engine (package udfhost starts and supervises plugins): this package
// imports only Arrow, go-plugin and gRPC, so a plugin pulls in nothing else.
//
// # Writing a plugin
//
// A plugin exports scalar functions, usable in any expression of a job
// (textkit.slug(note)), and batch transforms, usable as a view step. Its
// main is one call:
//
//	package main
//
//	import (
//		"strings"
//
//		"github.com/drover-etl/drover/udf"
//	)
//
//	func main() {
//		udf.Serve(&udf.Plugin{
//			Scalars: map[string]udf.Scalar{
//				"upper": udf.StringFunc("upper-cases a string", strings.ToUpper),
//			},
//			Transforms: map[string]udf.Transform{
//				"sample": &udf.MapTransform{Summary: "...", Schema: ..., Map: ...},
//			},
//		})
//	}
//
// Build it with go build (go build -o bin/plugins/mykit ./mykit) and
// declare it in the job, by path or s3:// URL, optionally pinned by hash:
//
//	plugin "mykit" {
//	  source = "bin/plugins/mykit"
//	  sha256 = "..."               # optional; checked before every start
//	}
//	view "loud" {
//	  from   = "orders"
//	  select = ["order_id", "mykit.upper(note) AS note"]
//	}
//	view "sampled" {
//	  from      = "orders"
//	  transform = "mykit.sample"
//	  args      = { fraction = "0.1" }
//	}
//
// StringFunc, StringToInt64 and MapTransform cover the common shapes; the
// Scalar and Transform interfaces cover the rest. A Scalar states its result
// type for the argument types it is given (the planner asks before any data
// flows, so a type error fails the job up front) and then computes whole
// columns. A Transform declares its output schema from the input schema and
// the view's args, then gets one run per partition: batches in, any number
// of batches out, and a Finish for anything held back.
//
// # Failures
//
// Return an error to fail the call: the task fails and the job stops.
// Wrap it with Retryable when retrying could help (a remote service timed
// out): the executor retries the task. A plugin that crashes or hangs
// fails its task with its last stderr lines; the executor restarts it and
// retries the task. Results are checked against what the plugin declared:
// a wrong type, row count or schema is a clear, fatal error.
//
// # The protocol
//
// proto/udf.proto is the wire contract: Describe, ResolveScalar and
// ResolveTransform at plan time, and two streaming RPCs at run time, all
// payloads Arrow IPC streams. Handshake carries the protocol version and its
// history. Any language with gRPC and Arrow can implement a plugin; Remote
// is the executor's view of one, and Client implements it over gRPC.
//
// The cost is paid per batch, not per row. Scalar batches go through a
// region of shared memory when both sides can map one (Linux; shm.go): the
// executor copies the arguments in, the plugin reads them in place and
// writes its result after them, and the gRPC messages only say where.
// Otherwise, and for transforms, batches travel inline with no copy on the
// sending side (codec.go). On a 2-core machine that is ~10-20 ns per row of
// overhead for a string function over 1 M rows (udfhost's
// BenchmarkScalarPluginCall), against the ~100 ns a row-at-a-time Go UDF
// costs in DuckDB.
package udf
