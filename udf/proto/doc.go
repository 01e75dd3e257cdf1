// Package udfpb is the generated gRPC code of the UDF plugin protocol
// (udf.proto). Regenerate it with `make proto`; package udf wraps it.
package udfpb
