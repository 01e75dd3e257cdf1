package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/engine"
)

// resumeFlags pick the run ID and whether it continues an earlier
// driver's journal (docs/operations.md, "Resuming a run").
type resumeFlags struct {
	resume string // --resume RUN: must resume
	run    string // --run ID: resumes if the run has a journal
	killAt string // fault injection: SIGKILL this process at a journaled point
}

func (f *resumeFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.resume, "resume", "", "resume run `RUN` from its journal after its driver died (same job, vars and --shuffle-dir)")
	// e2e tests kill the driver at an exact point, e.g. "commit out".
	cmd.Flags().StringVar(&f.killAt, "chaos-kill-at", "", "SIGKILL the driver when it reaches this journaled point (fault-injection tests)")
	cmd.Flags().MarkHidden("chaos-kill-at")
	cmd.Flags().StringVar(&f.run, "run", "", "run ID to use; a run with a journal resumes (a restarted driver allocation: --run ${NOMAD_JOB_ID}; '/' becomes '-')")
}

// runIDShape is what a caller-given run ID may look like once sanitized:
// one path segment.
var runIDShape = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

// runID is the run's ID and resume mode.
func (f *resumeFlags) runID() (string, driver.ResumeMode, error) {
	switch {
	case f.resume != "" && f.run != "":
		return "", 0, fmt.Errorf("--resume and --run both name the run; give one")
	case f.resume != "":
		return f.resume, driver.ResumeRequired, checkRunID("--resume", f.resume)
	case f.run != "":
		id := strings.ReplaceAll(f.run, "/", "-")
		return id, driver.ResumeAuto, checkRunID("--run", id)
	}
	return engine.NewRunID(), driver.ResumeNever, nil
}

// faultHook kills the process, as an operator's SIGKILL would, at the
// --chaos-kill-at point (nil without one).
func (f *resumeFlags) faultHook() func(string) bool {
	if f.killAt == "" {
		return nil
	}
	return func(point string) bool {
		if point == f.killAt {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
		return false
	}
}

func checkRunID(flag, id string) error {
	if !runIDShape.MatchString(id) {
		return fmt.Errorf("%s %q: a run ID is letters, digits, '.', '_' and '-' (at most 128)", flag, id)
	}
	return nil
}
