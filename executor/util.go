package executor

import (
	"io"

	"github.com/apache/arrow-go/v18/arrow"
)

type arrowRecord = arrow.RecordBatch

func isEOF(err error) bool { return err == io.EOF }
