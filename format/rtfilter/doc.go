// Package rtfilter holds runtime join filters: a summary of a hash join's
// build keys (a split-block Bloom filter over the keys' hash, plus the
// range of a single integer key) that the join hands, once its build side
// is loaded, to the scan feeding its probe side, so the scan drops probe
// rows that cannot match before decoding their other columns (Parquet late
// materialization) and before any operator touches them.
//
// A Set is built once from the build keys and is read-only (a broadcast
// table's Set is shared by an executor's tasks). A Filter is one join's
// use of a Set: it counts the rows it checked and dropped and switches
// itself off when it drops too few to pay for itself. A Slot is where the
// join installs its Filter for the scan; the scan's reader reads it
// lazily, batch by batch, so a batch decoded before the join installed
// the filter just passes unfiltered. Use is one reader's claim on a Slot:
// a reader that applies the filter itself (Parquet late materialization)
// claims it, otherwise the scan operator applies it to its output batches.
//
// A Set never has false negatives: a row it drops has a key no build row
// has, or a NULL key (which never matches an equi-join key that is not
// null-safe; joins with null-safe keys get no runtime filter). The caller
// guarantees that probe and build keys have the same logical type; a key
// column whose Arrow type the Set cannot read is never filtered.
package rtfilter
