// Package cluster holds the cluster-mode integration tests: real Nomad,
// Consul and MinIO servers on loopback (internal/testutil starts them and
// builds missing binaries), executors registered as a Nomad task group and
// found through Consul, input, shuffle and output in S3.
package cluster
