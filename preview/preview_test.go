package preview

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/drover-etl/drover/format/csv"
	"github.com/drover-etl/drover/storage"
	_ "github.com/drover-etl/drover/storage/local"
)

// `drover head` shows the committed version only: the files the Drover
// manifest names, not a file published beside them by a commit in flight
// or put there by someone else.
func TestHeadHonoursManifest(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"part-0.csv":         "id\ncommitted\n",
		"part-1.csv":         "id\nnot-yet-committed\n",
		storage.ManifestName: `{"version":1,"run":"r","files":[{"path":"part-0.csv","size":13}]}`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	if err := Head(context.Background(), &out, dir, "", 10); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "committed") || strings.Contains(out.String(), "not-yet-committed") {
		t.Fatalf("head printed:\n%s\nwant the committed row only", out.String())
	}
}
