// Package local holds end-to-end tests of whole jobs on the embedded local
// runtime: demo and example jobs checked against answers computed
// independently in the test, bad input, fault injection (lost tasks, lost
// shuffle files), and the commit protocol as a user sees it.
package local
