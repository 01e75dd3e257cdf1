package testutil

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

// Postgres is a running throwaway PostgreSQL server: one superuser,
// trust authentication, loopback TCP only.
type Postgres struct {
	// URI is "postgres://drover@127.0.0.1:<port>/postgres?sslmode=disable".
	URI  string
	proc *proc
}

// pgUser is the account the server runs as when the test runs as root
// (PostgreSQL refuses to run as root); Debian's package creates it.
const pgUser = "postgres"

// StartPostgres initializes a database cluster in a fresh directory and
// runs PostgreSQL on a free loopback port until the test ends. Missing
// PostgreSQL fails the test (make postgres installs Debian's package).
func StartPostgres(t testing.TB) *Postgres {
	t.Helper()
	binDir, err := postgresBinDir()
	if err != nil {
		t.Fatalf("testutil: %v (run `make postgres` to install Debian's postgresql)", err)
	}
	dir, err := os.MkdirTemp("", "drover-postgres-")
	if err != nil {
		t.Fatalf("testutil: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	asUser, err := pgAccount(dir)
	if err != nil {
		t.Fatalf("testutil: %v", err)
	}
	data := filepath.Join(dir, "data")
	initdb := asUser(filepath.Join(binDir, "initdb"), "-D", data, "-U", "drover", "--auth=trust", "-E", "UTF8", "--no-sync")
	if out, err := exec.Command(initdb[0], initdb[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("testutil: initdb: %v\n%s", err, out)
	}
	pg := &Postgres{}
	for i := 1; ; i++ {
		err := pg.launch(t, binDir, data, dir, asUser, i)
		if err == nil {
			return pg
		}
		if i < attempts && pg.proc != nil && pg.proc.logContains("could not bind") {
			pg.proc.stop()
			continue
		}
		t.Fatalf("testutil: %v; last lines of the log:\n%s", err, pg.proc.tail())
	}
}

func (pg *Postgres) launch(t testing.TB, binDir, data, dir string, asUser func(...string) []string, i int) error {
	port, err := FreePort()
	if err != nil {
		return err
	}
	pg.URI = fmt.Sprintf("postgres://drover@127.0.0.1:%d/postgres?sslmode=disable", port)
	cmd := asUser(filepath.Join(binDir, "postgres"), "-D", data, "-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off")
	p, err := launch(t, "postgres", cmd[0], cmd[1:], nil, filepath.Join(dir, fmt.Sprintf("postgres-%d.log", i)))
	if err != nil {
		return err
	}
	pg.proc = p
	t.Cleanup(p.stop)
	return p.waitReady(60*time.Second, pg.ping)
}

func (pg *Postgres) ping() error {
	db, err := sql.Open("pgx", pg.URI)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return db.PingContext(ctx)
}

// postgresBinDir finds initdb and postgres: on PATH, else Debian's
// versioned directory.
func postgresBinDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Dir(real), nil
		}
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) == 0 {
		return "", fmt.Errorf("PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin)")
	}
	return filepath.Dir(matches[len(matches)-1]), nil
}

// pgAccount returns how to run a PostgreSQL program: directly, or as
// the postgres user through setpriv when the test runs as root, in which
// case dir is handed to that user.
func pgAccount(dir string) (func(...string) []string, error) {
	if os.Geteuid() != 0 {
		return func(args ...string) []string { return args }, nil
	}
	u, err := user.Lookup(pgUser)
	if err != nil {
		return nil, fmt.Errorf("running as root needs the %q account to run PostgreSQL: %w", pgUser, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, err
	}
	return func(args ...string) []string {
		return append([]string{"setpriv", "--reuid=" + u.Uid, "--regid=" + u.Gid, "--clear-groups", "--"}, args...)
	}, nil
}
