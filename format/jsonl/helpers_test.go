package jsonlfmt_test

import (
	"context"
	"io"
	"testing"

	"github.com/drover-etl/drover/format/csv/formattest"
)

func readFile(t *testing.T, path string) string {
	t.Helper()
	loc := formattest.Location(t, path)
	fh, err := loc.Store.Open(context.Background(), loc.Key)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	b, err := io.ReadAll(io.NewSectionReader(fh, 0, fh.Size()))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
