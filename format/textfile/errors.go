package textfile

import (
	"fmt"

	"github.com/drover-etl/drover/format"
)

// ErrChanged is a file whose size is no longer the one its byte ranges
// were cut for: the cuts would fall anywhere, so the read fails (and, as
// format.ErrCorrupt, is not retried).
var ErrChanged = fmt.Errorf("%w: the file changed since the job was planned", format.ErrCorrupt)
