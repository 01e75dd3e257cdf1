// Package engine wires the layers into the two things the CLI does with a
// job: Compile (job file → logical plan → optimized plan → physical plan →
// stage graph, which explain prints) and Run (the stage graph on an
// executor, through the driver, with sinks committed). It also provides the
// catalog the front end asks for source schemas: input listing and schema
// inference through package storage and the formats.
package engine
