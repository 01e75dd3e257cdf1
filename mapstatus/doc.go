// Package mapstatus is the map status object: one per finished map stage
// (and per re-publication after a lineage recompute), written by the
// driver beside the run's shuffle objects, listing every map output's URL
// and per-partition byte and row counts in a compact binary form. A
// reduce task's spec names it (task.InputRef) instead of carrying the
// map outputs, so specs stay the same size whatever the map-task count;
// executors read each one once and share it between their tasks (Cache).
package mapstatus
