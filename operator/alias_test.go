package operator

import "github.com/apache/arrow-go/v18/arrow"

type arrowRec = arrow.RecordBatch
