package duckext

import (
	"context"
	"testing"
)

// TestOpenLoadsTPCExtensions generates tiny TPC-H and TPC-DS databases and
// reads the query texts, all from the linked extensions (offline).
func TestOpenLoadsTPCExtensions(t *testing.T) {
	ctx := context.Background()
	cache := t.TempDir()
	for round := range 2 { // the second round reuses the built shims
		db, err := Open(ctx, cache)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			query string
			want  int64
		}{
			{"SELECT count(*) FROM tpch_queries()", 22},
			{"SELECT count(*) FROM tpcds_queries()", 99},
		} {
			var n int64
			if err := db.QueryRow(c.query).Scan(&n); err != nil {
				t.Fatalf("round %d: %s: %v", round, c.query, err)
			}
			if n != c.want {
				t.Errorf("round %d: %s = %d, want %d", round, c.query, n, c.want)
			}
		}
		if round == 0 {
			if _, err := db.Exec("CALL dbgen(sf = 0.001)"); err != nil {
				t.Fatal(err)
			}
			var n int64
			if err := db.QueryRow("SELECT count(*) FROM region").Scan(&n); err != nil || n != 5 {
				t.Fatalf("region has %d rows (%v), want 5", n, err)
			}
		}
		db.Close()
	}
}
