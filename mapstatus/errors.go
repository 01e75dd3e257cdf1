package mapstatus

import "errors"

// ErrCorrupt is a map status object that does not decode: truncated,
// altered, or not a map status object at all.
var ErrCorrupt = errors.New("corrupt map status object")
