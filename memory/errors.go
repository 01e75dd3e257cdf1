package memory

import "errors"

// ErrExhausted is wrapped by every error a consumer returns when it cannot
// fit in its share of the budget even after spilling.
var ErrExhausted = errors.New("memory budget exhausted")
