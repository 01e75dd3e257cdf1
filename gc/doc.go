// Package gc removes what crashed runs left behind: it finds, under a
// shuffle root, the runs whose record (package runlease) has not been
// renewed for a while, and removes their shuffle objects and incomplete
// uploads (by exact key as well as by listing), their staged files,
// uploads and run locks in every sink they wrote, and, through a
// JobReaper (package cluster), their Nomad executor jobs with the jobs'
// variables and Consul services. Live runs and committed output are
// never touched. `drover gc` runs it, and so does every cluster run's
// start.
package gc
