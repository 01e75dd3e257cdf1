// Package memcg runs a command in a cgroup of its own capped at a memory
// limit, as systemd-run -p MemoryMax, docker --memory and Nomad do, and
// reports whether the kernel OOM-killed it and its peak usage. The bench
// harness's scale suite and the capped-run tests use it to prove that
// Drover's default budget (a share of the cgroup's limit) holds under a
// real cap. It needs a writable cgroup file system (root, cgroup v1's
// memory controller or v2 with memory enabled for children).
package memcg
