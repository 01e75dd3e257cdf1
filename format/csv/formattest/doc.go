// Package formattest holds test helpers shared by the format packages:
// files written and read through storage (local paths under t.TempDir()),
// a batch with every Drover type and awkward values, and a comparison that
// renders rows as text so that dictionary and plain strings compare equal.
// Like textcol it would sit better in format/internal.
package formattest
