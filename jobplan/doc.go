// Package jobplan compiles a parsed job (package jobspec) into a bound
// logical plan: one Write root per sink, over scans of the sources the
// Catalog describes and the views in between. Structured views are
// described as a sqlfront.Query (from → joins → where → group_by /
// aggregate → having → select → order_by → limit); SQL views go through
// sqlfront.PlanView. Every view's output is qualified by its name.
//
// Errors point at the HCL attribute they come from, for example
// "jobs/x.hcl:12:14: where: unknown column "amonut" (did you mean "amount"?)".
package jobplan
