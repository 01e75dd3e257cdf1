// Package sqlfront turns SQL text into Drover's expression trees and
// logical plans. Package sqlfront/parser reads the SQL into the syntax
// tree of sqlfront/ast; this package plans the tree. The parser accepts
// more than can be planned today: checkSupported (unsupported.go) turns
// the rest away with "not supported: <construct>", one case each.
//
// It serves both front ends: the HCL job spec's structured views hand in
// expression strings (ParseExpr, ParseItem, ParseOrderItem) and describe
// the view as a Query; SQL views go through PlanSelect, which builds the
// same Query from a SELECT statement. Query.Plan then does the work common
// to both: where, grouping and aggregates (including ones that appear only
// in HAVING or ORDER BY), projection, DISTINCT, ORDER BY with hidden sort
// columns, and LIMIT. Every expression in the result is bound (expr.Bind).
package sqlfront
