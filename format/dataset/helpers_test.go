package dataset

import (
	"context"
	"strings"
	"testing"

	"github.com/drover-etl/drover/storage"
)

func localStore(t *testing.T) storage.Store {
	t.Helper()
	loc, err := storage.Resolve(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return loc.Store
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
