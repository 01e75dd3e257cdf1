package jsonlfmt_test

import (
	"testing"

	"github.com/drover-etl/drover/format/csv/formattest"
)

// FuzzJSONLReader reads arbitrary bytes as JSON lines; seeds are in
// testdata/fuzz/FuzzJSONLReader.
func FuzzJSONLReader(fz *testing.F) {
	fz.Add([]byte(`{"a":1,"b":"x","c":2.5}` + "\n" + `{"a":null,"b":"\u00e9\n","g":true}` + "\n"))
	fz.Add([]byte(`{"d":"12.34","e":"2021-01-02","f":"2021-01-02T03:04:05Z"}`))
	fz.Add([]byte("{\"a\":{\"nested\":[1,2]}}\n\n{}\n"))
	fz.Fuzz(func(t *testing.T, data []byte) {
		formattest.FuzzRead(t, f, data, nil)
	})
}
