package commit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"

	"github.com/google/uuid"
)

// FileName names one output file of a sink task:
// "part-00003-<uuid>.<ext>", unique per call. The uuid's first two groups
// are the run's tag, so the commit can find every object a run started,
// reported or not (an attempt whose executor died), without touching
// those of other runs writing beside it.
func FileName(run string, partition int, ext string) string {
	return fmt.Sprintf("part-%05d-%s-%s.%s", partition, runTag(run), uuid.NewString()[14:], ext)
}

// runTag is 48 bits of the run ID's SHA-256, shaped like the start of a
// uuid ("1a2b3c4d-5e6f").
func runTag(run string) string {
	sum := sha256.Sum256([]byte(run))
	h := hex.EncodeToString(sum[:6])
	return h[:8] + "-" + h[8:]
}

// ofRun reports whether key names a file FileName made for run.
func ofRun(run, key string) bool {
	name := path.Base(key)
	return strings.HasPrefix(name, "part-") && strings.Contains(name, "-"+runTag(run)+"-")
}
