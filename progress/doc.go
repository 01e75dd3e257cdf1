// Package progress shows a running job: a live bar per stage when output is
// a terminal (vbauerster/mpb), plain timestamped log lines otherwise, and a
// summary table (rows, bytes, time per stage) at the end.
package progress
