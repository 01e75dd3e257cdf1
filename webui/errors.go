package webui

import "errors"

// ErrNoRun: the source has no such run (or its log cannot be read).
var ErrNoRun = errors.New("no such run")
