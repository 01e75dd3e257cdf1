package jobspec

import (
	"os"
	"testing"
)

// FuzzParse parses arbitrary job files. Every rejection must be an error
// with a position; no input may panic. Seeds: the example job and
// testdata/fuzz/FuzzParse.
func FuzzParse(fz *testing.F) {
	example, err := os.ReadFile("testdata/jobspec_example.hcl")
	if err != nil {
		fz.Fatal(err)
	}
	fz.Add(example)
	fz.Add([]byte(`job "j" {
  source "s" {
    path = "in/*.csv"
    format = "csv"
  }
  view "v" { sql = "SELECT a FROM s WHERE b = '{{ x }}'" }
  sink "out" {
    from = "v"
    path = "out/"
    format = "parquet"
  }
}`))
	fz.Fuzz(func(t *testing.T, src []byte) {
		job, err := ParseSource(src, "fuzz.hcl", nil)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an empty error message")
			}
			return
		}
		if job == nil {
			t.Fatal("no job and no error")
		}
	})
}
