package rtfilter

import "sync/atomic"

// Slot is where a join installs its runtime filter for the scan that
// feeds its probe side. Columns are decided when the operators are built;
// the filter arrives once the join has loaded its build side (or never).
type Slot struct {
	columns []int
	f       atomic.Pointer[Filter]
}

// NewSlot is a slot for a filter on the scan's table columns (ordinals
// of the scan's table, in the join's key order).
func NewSlot(columns []int) *Slot { return &Slot{columns: columns} }

// Columns are the key columns: ordinals of the scan's table.
func (s *Slot) Columns() []int { return s.columns }

// Set installs f; batches decoded from now on may be filtered by it.
func (s *Slot) Set(f *Filter) { s.f.Store(f) }

// Filter is the installed filter, nil until Set.
func (s *Slot) Filter() *Filter { return s.f.Load() }

// Use is one reader's use of a Slot: the reader claims it when it
// applies the filter itself (then the scan operator does not).
type Use struct {
	*Slot
	claimed atomic.Bool
}

// NewUse is a new reader's use of s.
func (s *Slot) NewUse() *Use { return &Use{Slot: s} }

// Claim says that the reader applies the filter to every batch it decodes
// after the filter is set.
func (u *Use) Claim() { u.claimed.Store(true) }

// Claimed says whether the reader claimed the filter.
func (u *Use) Claimed() bool { return u != nil && u.claimed.Load() }
