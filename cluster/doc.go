// Package cluster runs executors on Nomad and finds them through Consul —
// the only package that imports nomad/api and consul/api. Start registers
// one Nomad job per run (ID drover-<job>-<run>-executors) with a task group
// of executors running `drover executor`, each announcing a Consul service
// with a health check; a watcher follows Consul's passing instances with
// blocking queries and feeds them to a remote.Pool, which the driver sees
// as a plain task.Executor. Close scales the group to zero and purges the
// job, so nothing keeps running.
package cluster
