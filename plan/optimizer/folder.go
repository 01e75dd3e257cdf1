package optimizer

import "github.com/drover-etl/drover/expr/eval"

// foldFn evaluates a column-free, plugin-free bound expression with the
// executor's own kernels, so a folded literal is exactly what every row
// would have computed. A variable so tests can inject failures.
var foldFn = eval.Fold
