// Package icetable connects Drover to Apache Iceberg tables through
// iceberg-go: it opens the catalog a job names (SQL on SQLite or
// PostgreSQL, or REST), maps Iceberg schemas to Drover's, plans a source's
// data files with partition and metadata pruning, and commits a sink's
// files as one snapshot (append, overwrite or dynamic partition
// overwrite), retrying when another writer committed first.
//
// Tasks never talk to the catalog: they write Parquet files carrying the
// table's field ids under the table's data location, and the driver
// commits the winning attempts' files here after every task finished.
package icetable
