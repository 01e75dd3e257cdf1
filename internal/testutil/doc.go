// Package testutil starts the real servers Drover runs against — MinIO,
// Consul and Nomad — as child processes for tests, never mocks.
//
// Each Start function picks free loopback ports, launches the pinned binary
// from the repository's bin/ (building it with `make tools-<name>` when it
// is missing or stale, so an integration test never skips silently), waits
// until the server is ready and registers a cleanup that stops it and
// removes its data. Server output goes to a log file in the test's temporary
// directory; its tail is printed when the test fails, and a server that
// exits while the test still needs it fails the test.
//
// Linux only: servers run in their own process group (so their helpers are
// stopped with them) and die with the test binary (parent-death signal).
//
// Only 127.0.0.1 is ever bound or contacted, and every HashiCorp agent runs
// with CHECKPOINT_DISABLE=1 so nothing phones home.
package testutil
