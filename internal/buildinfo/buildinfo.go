package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version is set at build time; "dev" otherwise.
var Version = "dev"

// String describes the build: version, VCS revision when known, Go version.
func String() string {
	rev := "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				rev = s.Value
			}
		}
	}
	return fmt.Sprintf("drover %s (revision %s, %s %s/%s)", Version, rev, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
