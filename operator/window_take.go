package operator

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/compute"
)

// takeWithNulls gathers c at idx, where a NULL index yields NULL (lag and
// lead past the partition's edge).
func takeWithNulls(c arrow.Array, idx arrow.Array) (arrow.Array, error) {
	return compute.TakeArrayOpts(context.Background(), c, idx, compute.TakeOptions{BoundsCheck: true})
}
