// Package e2eutil holds what the end-to-end suites share: finding the
// repository, writing fixtures, listing committed output files, and
// reading Parquet and CSV output independently of Drover's own readers
// (arrow-go's pqarrow, encoding/csv), so a test's expected answers do not
// come from the code under test.
package e2eutil
