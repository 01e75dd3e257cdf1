package memory

import "strings"

// HugePagesEnv turns the heap's huge-page advice off when set to "off"
// (AdviseHeapHugePages).
const HugePagesEnv = "DROVER_HUGEPAGES"

// thpMode is the bracketed choice of a transparent_hugepage/enabled file
// ("always [madvise] never" → "madvise"), or "" when there is none.
func thpMode(enabled string) string {
	_, rest, ok := strings.Cut(enabled, "[")
	if !ok {
		return ""
	}
	mode, _, ok := strings.Cut(rest, "]")
	if !ok {
		return ""
	}
	return mode
}
