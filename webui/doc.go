// Package webui serves the run UI: the list of runs, a run's stage graph
// (SVG laid out by stage depth), each stage's paged task table with
// quantiles, the executors, the plans and the committed outputs. Pages are
// server-rendered with html/template and refresh through server-sent
// events. A run's state is rebuilt from its event log (eventlog), so the
// driver's live UI and `drover history` share every page.
package webui
