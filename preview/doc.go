// Package preview prints the first rows of a data set (a file or a Hive
// partitioned directory of Parquet, CSV or JSON lines) as a text table —
// what `drover head` shows after a run.
package preview
