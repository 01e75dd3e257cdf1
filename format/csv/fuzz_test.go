package csvfmt_test

import (
	"testing"

	"github.com/drover-etl/drover/format/csv/formattest"
)

// FuzzCSVReader reads arbitrary bytes as CSV, with and without a header
// row; seeds are in testdata/fuzz/FuzzCSVReader.
func FuzzCSVReader(fz *testing.F) {
	fz.Add([]byte("a,b,c\n1,x,2.5\n2,\"y,z\",\n"), true)
	fz.Add([]byte("1,\"multi\nline\",3\n"), false)
	fz.Add([]byte("a;b\n\"\"\"q\"\"\";2021-01-02\n"), true)
	fz.Fuzz(func(t *testing.T, data []byte, header bool) {
		opts := map[string]string{"header": "false"}
		if header {
			opts["header"] = "true"
		}
		formattest.FuzzRead(t, f, data, opts)
	})
}
