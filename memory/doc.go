// Package memory is the executor's memory budget: one Pool per process,
// shared by its task slots, from which every operator that holds data
// reserves what it holds. A refused reservation is the operator's signal
// to spill (sort runs, aggregation and join partitions, shuffle runs) and
// try again; only what cannot spill fails, with an error naming the
// operator and the setting to raise.
//
// The pool is fair between spillable consumers, as DataFusion's
// FairSpillPool is: each of the n spillable consumers may hold up to
// (limit − held by unspillable consumers) / n, so one task's aggregation
// cannot starve the other slots, and a consumer that spills frees room
// for the rest at once.
//
// The commands also size the Go runtime's soft memory limit from the
// budget (SetRuntimeLimit) and advise the heap onto transparent huge pages
// (AdviseHeapHugePages).
package memory
