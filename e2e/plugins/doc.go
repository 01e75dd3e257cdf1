// Package plugins holds end-to-end tests of UDF plugins in whole jobs on
// the local runtime: jobs/plugins.hcl with the example plugins built from
// source and its output checked against answers computed here, and the
// failure modes a user meets — a crash retried on a restarted plugin, a
// crash that persists, a hung call, a result of the wrong schema, a type
// error found while planning.
package plugins
