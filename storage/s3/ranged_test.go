package s3

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/drover-etl/drover/s3cost"
	"github.com/drover-etl/drover/storage"
)

// testReadRange: a range read is one GET (no HEAD); a missing object is
// ErrNotExist (a reducer's fetch failure) and a range past the object's
// end fails instead of coming back short.
func testReadRange(t *testing.T, fx *fixture) {
	data := randomBytes(t, 1<<20)
	put(t, fx.s, "ranged/obj", data, 256<<10)
	rec := s3cost.NewRecorder()
	ctx := s3cost.WithRecorder(context.Background(), rec)
	buf := make([]byte, 1000)
	if err := fx.s.ReadRange(ctx, "ranged/obj", buf, 5000); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf, data[5000:6000]) {
		t.Fatal("ReadRange returned the wrong bytes")
	}
	if got := rec.Usage().Get; got.Requests != 1 {
		t.Fatalf("ReadRange made %d GET-class requests, want 1", got.Requests)
	}
	if err := fx.s.ReadRange(ctx, "ranged/missing", buf, 0); !errors.Is(err, storage.ErrNotExist) {
		t.Fatalf("missing object: err = %v, want ErrNotExist", err)
	}
	if err := fx.s.ReadRange(ctx, "ranged/obj", buf, int64(len(data))-10); err == nil {
		t.Fatal("a range past the end read without error")
	}
}
