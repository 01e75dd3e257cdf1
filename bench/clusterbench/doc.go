// Package clusterbench holds BenchmarkCluster (make bench-cluster): the
// scale suite's queries through `drover submit` on real Nomad, Consul and
// MinIO dev servers on loopback (internal/testutil), beside `drover run`
// on the same data, reported as bench/results/<date>-cluster-sf<SF>.md and
// .json (see harness.RunCluster). It is a benchmark, not a test: `go test`
// without -bench does not run it.
package clusterbench
