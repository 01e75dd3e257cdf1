// Command faultkit is a UDF plugin that misbehaves on request, for the
// tests of package udfhost and e2e/plugins. Its scalars take one string
// and return it unchanged, except on magic values:
//
//	faultkit.crash(x):   "crash" logs a line and exits with status 3;
//	                     "panic" panics; "crash-once:<path>" crashes only
//	                     if <path> does not exist yet (creating it first),
//	                     so a retried task succeeds
//	faultkit.hang(x):    "hang" never answers
//	faultkit.wrongtype:  declares a string result, returns int64s
//	faultkit.short:      returns one value fewer than it got
//
// and its transforms: faultkit.pass passes batches through (but reacts to
// "crash" and "hang" in a string column as faultkit.crash and
// faultkit.hang do); faultkit.badschema declares its input schema but
// emits batches with an extra column.
package main
