// Package tpch generates TPC-H data (lineitem, orders, customer, part,
// partsupp, supplier, nation, region) at a scale factor, following the
// specification's cardinalities, key relationships and value distributions
// (clause 4.2.3): sparse order keys, customers of which a third never
// order, four suppliers per part, lineitem dates derived from the order
// date, return flags and line statuses around CURRENTDATE (1995-06-17), and
// prices as DECIMAL(15,2). Text columns come from a pool built with the
// specification's grammar and word lists, cut at random offsets and
// lengths as dbgen does; the pool is smaller than dbgen's, the lengths and
// cardinalities are the specification's.
//
// Tables are written as Parquet and CSV through the format registry, in
// files of about Config.FileBytes. Rows are generated in fixed-size chunks,
// each from its own random stream derived from the seed, so the output
// depends only on (seed, scale factor) and not on how many goroutines
// generate it.
package tpch
