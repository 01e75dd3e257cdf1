// Package windowref is a deliberately naive reference evaluator of window
// functions over rows of types.Value: it sorts, cuts partitions, and for
// every row tests every other row of its partition for frame membership
// straight from the SQL definitions, in O(n²). Tests of the window
// operator and of distributed window plans compare their answers with it;
// it shares no code with the operator.
package windowref
