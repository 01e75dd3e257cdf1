// Package hashtab holds the hash tables of the hash operators (grouping,
// join build sides, DISTINCT): open addressing with linear probing over a
// power-of-two array of slots, at most three quarters full, that number the
// distinct keys 0, 1, 2, … in the order they are first inserted. The
// operators keep what they need per key in slices indexed by that number
// (aggregate states, the head of a join's chain of build rows).
//
// Three layouts, picked by the key columns:
//   - Int64: one integer-like key (BIGINT, INT, DATE, TIMESTAMP widened to
//     int64), the key in the slot;
//   - Int64Pair: two such keys, both in the slot, with their NULL flags
//     (grouping also packs several narrow keys into its two words);
//   - Bytes: any other key, as the row encoding of operator/keys: the
//     slot holds the row's hash (computed once per batch by the caller,
//     xxh3) and its key number, the keys' bytes live in one arena, and
//     bytes are compared only when the hashes agree. Grouping by one
//     VARCHAR column hands it the column's own bytes and offsets instead
//     of encoded rows, hashed by HashString (wyhash's short-input path up
//     to 32 bytes, xxh3 beyond).
//
// Tables work a batch at a time (FindOrInsert, Find), take NULLs as a mask
// (a NULL key is one key, numbered like any other), and are not safe for
// concurrent writers; a table only read (Find) may be shared. Slot arrays
// of 4 MiB and more are advised onto transparent huge pages (Linux), and
// the per-key slices double rather than grow by append's quarter.
package hashtab
