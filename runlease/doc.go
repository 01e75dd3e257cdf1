// Package runlease is a run's presence in its shuffle directory: a small
// record (_run.json under <shuffle root>/<run>/) that the driver writes
// when the run starts and renews while it lives, naming the job, the
// sinks it writes and the map attempts it started. A run that ends
// removes it with the rest of its shuffle prefix; one whose record has
// not been renewed for a while crashed, and the record tells `drover gc`
// (package gc) exactly what to clean.
package runlease
