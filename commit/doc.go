// Package commit is the output commit protocol. Sink tasks write their
// files under a hidden, run- and attempt-scoped staging prefix inside the
// output directory (readers and Drover's own listing skip names starting
// with "_"). Only after every task of the job succeeded does the driver
// promote the files of each partition's winning attempt, remove the
// previous output (mode = overwrite), write _SUCCESS and delete the staging
// prefix with every losing or failed attempt in it. A failed job leaves the
// previous output exactly as it was.
package commit
