// Package types is Drover's logical type system: the column types a job spec
// may name (bool, int32, int64, float32, float64, decimal(p,s), string, date,
// timestamp), their Arrow representation, and schemas built from them.
//
// Types are plain comparable values so that plans carrying them serialize
// to JSON unchanged and can be shipped to remote executors.
package types
