package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/drover-etl/drover/format"
	csvfmt "github.com/drover-etl/drover/format/csv"
	"github.com/drover-etl/drover/storage"
)

// TestSplitFilesKeepsOrder: files split concurrently come back in file
// order, each cut as on its own; a missing file fails the whole.
func TestSplitFilesKeepsOrder(t *testing.T) {
	dir := t.TempDir()
	var locs []storage.Location
	var infos []storage.Info
	for i := range 9 {
		var b strings.Builder
		b.WriteString("a,b\n")
		for r := range 50 * (i + 1) {
			fmt.Fprintf(&b, "%d,\"x\ny\"\n", r)
		}
		p := filepath.Join(dir, fmt.Sprintf("f%d.csv", i))
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		loc, err := storage.Resolve(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		locs, infos = append(locs, loc), append(infos, storage.Info{Key: loc.Key, Size: int64(b.Len())})
	}
	f := csvfmt.Format{}
	got, err := splitFiles(context.Background(), f, locs, infos, 300, nil)
	if err != nil {
		t.Fatal(err)
	}
	var want [][]format.Split
	n := 0
	for i, l := range locs {
		sp, err := format.SplitFile(context.Background(), f, l, infos[i].Size, 300, nil)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, sp)
		n += len(sp)
	}
	if n <= len(locs) || !reflect.DeepEqual(got, want) {
		t.Fatalf("concurrent splits differ from one by one (%d splits of %d files)", n, len(locs))
	}
	gone := filepath.Join(dir, "f4.csv")
	if err := os.Remove(gone); err != nil {
		t.Fatal(err)
	}
	if _, err := splitFiles(context.Background(), f, locs, infos, 300, nil); err == nil || !strings.Contains(err.Error(), "f4.csv") {
		t.Fatalf("a missing file: got %v", err)
	}
}
