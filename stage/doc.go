// Package stage cuts physical plans into a DAG of stages at every exchange,
// the way Spark's DAGScheduler splits at wide dependencies (and bigslice's
// compiler merges narrow steps into one task). Everything between two
// exchanges runs inside one task, partition by partition; an exchange
// becomes the producing stage's output and a StageRead leaf in the
// consuming stage.
package stage
