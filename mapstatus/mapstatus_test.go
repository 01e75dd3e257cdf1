package mapstatus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/drover-etl/drover/storage"
	_ "github.com/drover-etl/drover/storage/local"
	"github.com/drover-etl/drover/task"
)

func sampleOutputs(maps, parts int) []task.MapOutput {
	outs := make([]task.MapOutput, maps)
	for m := range outs {
		outs[m] = task.MapOutput{URL: fmt.Sprintf("s3://b/run/%02x/s0-m%d-a0.arrows", m%256, m),
			Bytes: make([]int64, parts), Rows: make([]int64, parts)}
		for p := range parts {
			outs[m].Bytes[p] = int64(m*p*1013) % 1_000_000
			outs[m].Rows[p] = int64(m+p) % 77
		}
	}
	return outs
}

func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct{ maps, parts int }{{0, 0}, {1, 1}, {3, 0}, {200, 200}} {
		outs := sampleOutputs(tc.maps, tc.parts)
		got, err := Decode(Encode(outs))
		if err != nil {
			t.Fatalf("%d×%d: %v", tc.maps, tc.parts, err)
		}
		if !reflect.DeepEqual(got, outs) {
			t.Fatalf("%d×%d: round trip differs", tc.maps, tc.parts)
		}
	}
}

func TestDecodeRejectsDamage(t *testing.T) {
	good := Encode(sampleOutputs(5, 7))
	flipped := append([]byte(nil), good...)
	flipped[len(flipped)/2] ^= 1
	for name, b := range map[string][]byte{
		"empty":     nil,
		"truncated": good[:len(good)-9],
		"flipped":   flipped,
		"not ours":  []byte("PAR1 something else"),
	} {
		if _, err := Decode(b); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", name, err)
		}
	}
}

// TestCacheReadsOnce: concurrent tasks naming one object read it once;
// a missing object is an error every time (not cached), and an object
// listing another count of map outputs than the task expects is refused.
func TestCacheReadsOnce(t *testing.T) {
	dir := t.TempDir()
	outs := sampleOutputs(40, 9)
	url := URL(dir, 2, 0)
	if err := Write(context.Background(), url, outs); err != nil {
		t.Fatal(err)
	}
	var c Cache
	ref := task.InputRef{URL: url, Maps: 40}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			spec := &task.Spec{InputIndex: map[int]task.InputRef{2: ref}}
			in, err := c.Resolve(context.Background(), spec)
			if err != nil || !reflect.DeepEqual(in[2], outs) {
				t.Errorf("Resolve = %d outputs, %v", len(in[2]), err)
			}
		}()
	}
	wg.Wait()
	// Removed, the object is still served from the cache.
	loc, _ := storage.Resolve(context.Background(), url)
	if err := loc.Store.Delete(context.Background(), loc.Key); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Get(context.Background(), ref); err != nil || len(got) != 40 {
		t.Fatalf("cached Get = %d, %v", len(got), err)
	}
	missing := task.InputRef{URL: URL(dir, 2, 1), Maps: 40}
	for range 2 {
		if _, err := c.Get(context.Background(), missing); !errors.Is(err, storage.ErrNotExist) {
			t.Fatalf("missing object: err = %v", err)
		}
	}
	other := URL(filepath.Join(dir, "x"), 3, 0)
	if err := Write(context.Background(), other, outs); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(context.Background(), task.InputRef{URL: other, Maps: 41}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("wrong map count: err = %v", err)
	}
}

// TestSizeIsCompact: 200 map outputs × 200 partitions encode in far less
// than the JSON a spec carried inline.
func TestSizeIsCompact(t *testing.T) {
	outs := sampleOutputs(200, 200)
	bin := len(Encode(outs))
	js, err := json.Marshal(outs)
	if err != nil {
		t.Fatal(err)
	}
	if bin*2 > len(js) {
		t.Fatalf("encoded %d bytes, JSON %d", bin, len(js))
	}
}
