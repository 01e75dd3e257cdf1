// Package sortkey encodes sort keys into normalized, byte-comparable rows:
// comparing two rows' bytes (bytes.Compare) orders them exactly as the
// operators' comparators order the key values under each key's direction
// and NULL placement. The in-memory sort, the spill merge and the range
// partitioner compare these bytes instead of calling a comparator per
// column or boxing each cell as a types.Value.
//
// Each key column contributes a marker byte (NULL first, value, NULL last)
// and, for a value, its bytes: integers big-endian with the sign bit
// flipped; floats with -0 folded into +0 and every NaN into one NaN above
// +Inf (types.CompareFloat's order); decimals as 128-bit integers; strings
// as their bytes with 0x00 escaped to 0x00 0xFF and ended by 0x00 0x00, so
// that no encoding is a prefix of another. DESC inverts the value bytes.
package sortkey
