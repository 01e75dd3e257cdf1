// Package physical is the physical plan: which operator runs where, with
// exchanges (shuffles and broadcasts) made explicit. A Node is plain data
// — one struct whose Op says which of its spec fields is set — so a plan
// fragment marshals to JSON and travels to any executor unchanged.
//
// Plan converts an optimized logical plan into physical trees; package
// stage then cuts those trees at exchanges into a stage graph; operators
// that execute nodes live in package operator.
package physical
