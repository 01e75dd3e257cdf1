// Package thirdparty holds Drover's patches to its dependencies and the
// script that applies them (workspace.sh: the Makefile builds and tests in
// a Go workspace where each patched module is replaced by a copy of its
// pinned version with the patched files laid over it). See README.md for
// each patch and why; the test here checks that a build through the
// workspace carries them.
package thirdparty
