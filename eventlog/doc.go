// Package eventlog is the run event log: the versioned schema of every
// driver event (run, stage and task start and end, executors added and
// lost, sinks committed), a Writer that appends them as JSON lines under
// <dir>/<run>/ on any storage.Store, a Reader that rebuilds the event
// sequence even from a log whose writer died mid-line, and a Recorder that
// turns the driver's callbacks into events. docs/event-log.md documents
// the schema.
package eventlog
