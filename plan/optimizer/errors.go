package optimizer

import "errors"

// Sentinel errors of this package.
var (
	// ErrInvalidPlan: a plan (the input, or a rule's output) breaks the bound
	// tree contract; see Validate.
	ErrInvalidPlan = errors.New("invalid plan")
	// ErrConstantFails: a constant expression that every row would evaluate
	// fails (CAST('x' AS int32) in a projection); reported at plan time.
	ErrConstantFails = errors.New("constant expression fails")
)
