package formattest

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

func TestAllTypesRows(t *testing.T) {
	rec := AllTypes()
	defer rec.Release()
	Equal(t, AllTypesRows, Rows(t, []arrow.RecordBatch{rec}))
}
