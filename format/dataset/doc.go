// Package dataset reads a source's many files as one table: it discovers
// Hive partition directories (key=value, as Drover's partition_by sinks
// write them), types their values (declared, else inferred), merges the
// schemas of Parquet files that added or widened columns over time,
// prunes files by filters on partition columns before any is opened, and
// appends the partition values to each file's batches as constant columns.
//
// A dataset's table is the file columns followed by the partition columns
// (in directory order), so the file columns keep their ordinals and a
// format reader never sees a partition column.
package dataset
