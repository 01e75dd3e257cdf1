package compress

import "errors"

// ErrUnknown is a compression option naming no codec.
var ErrUnknown = errors.New("unknown compression")
