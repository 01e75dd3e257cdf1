// Package browsertest drives Debian's headless Chromium with chromedp for
// the web UI's tests, and keeps their screenshots as test artifacts
// (under .artifacts/screenshots/, or $DROVER_ARTIFACT_DIR).
package browsertest
