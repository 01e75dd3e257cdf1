// Package sketch holds the mergeable summaries behind the approximate
// aggregates: a t-digest for approx_quantile and a HyperLogLog for
// approx_count_distinct. Both serialize to a compact string so a partial
// aggregation can ship them through a shuffle as an ordinary string
// column, and both merge associatively, so splitting the input across
// tasks changes an answer only within the sketch's error.
package sketch
