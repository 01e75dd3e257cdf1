// Package jobspec reads Drover job files: HCL documents with variable
// blocks and one job block holding sources, views, sinks and plugins (the
// reference is docs/jobspec.md). Parsing resolves ${var.x}
// interpolation (defaults overridden by --var k=v) and validates everything
// that can be checked without data: formats, modes, type names, and that
// every view and sink refers to a source or an earlier view. Expressions
// stay text here; package jobplan turns a Job into a logical plan.
//
// Every error names the file, line and column it comes from
// ("jobs/x.hcl:12:14: ..."); each element keeps its hcl.Range so later
// stages can do the same.
package jobspec
