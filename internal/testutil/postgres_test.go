package testutil

import (
	"context"
	"database/sql"
	"testing"
)

// TestStartPostgres: the server answers SQL as the drover superuser.
func TestStartPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL")
	}
	pg := StartPostgres(t)
	db, err := sql.Open("pgx", pg.URI)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var user string
	if err := db.QueryRowContext(context.Background(), "SELECT current_user").Scan(&user); err != nil {
		t.Fatal(err)
	}
	if user != "drover" {
		t.Fatalf("connected as %q, want drover", user)
	}
}
