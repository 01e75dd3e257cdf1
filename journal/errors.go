package journal

import "errors"

// ErrNoJournal: the run has no journal to resume (it never started, it
// finished, or its failure cleaned its shuffle directory).
var ErrNoJournal = errors.New("no journal to resume")

// ErrPlanChanged: the resumed run's plan differs from the journaled one
// (the job, its variables or its inputs changed), so its shuffle outputs
// cannot be reused.
var ErrPlanChanged = errors.New("the job's plan differs from the journaled run's")
