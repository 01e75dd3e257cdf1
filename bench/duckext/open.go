package duckext

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver
)

// Extensions are the extensions Open loads.
var Extensions = []string{"tpch", "tpcds"}

// ErrNotLinked means the binary lacks an extension's code.
var ErrNotLinked = errors.New("extension not linked into this binary")

// shim is the shared object DuckDB loads for extension NAME: its entry
// point calls the binary's own. The shim is opened RTLD_LOCAL, so
// RTLD_DEFAULT never finds the shim's symbol, only the binary's.
const shim = `#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

void NAME_duckdb_cpp_init(void *loader) {
	void (*init)(void *) = (void (*)(void *))dlsym(RTLD_DEFAULT, "NAME_duckdb_cpp_init");
	if (init == NULL) {
		fprintf(stderr, "duckext: NAME_duckdb_cpp_init is not exported by the binary\n");
		abort();
	}
	init(loader);
}
`

// Open opens an in-memory DuckDB database with Extensions loaded; the
// shims are built into cacheDir (reused when present). The database uses
// one connection, so that the loaded extensions and any tables made with
// dbgen or dsdgen are visible to every query.
func Open(ctx context.Context, cacheDir string) (*sql.DB, error) {
	db, err := sql.Open("duckdb", "?allow_unsigned_extensions=true")
	if err != nil {
		return nil, fmt.Errorf("open duckdb: %w", err)
	}
	db.SetMaxOpenConns(1)
	if err := Load(ctx, db, cacheDir); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Load loads Extensions into db, which must allow unsigned extensions.
func Load(ctx context.Context, db *sql.DB, cacheDir string) error {
	var version, platform string
	if err := db.QueryRowContext(ctx, "SELECT library_version FROM pragma_version()").Scan(&version); err != nil {
		return fmt.Errorf("duckdb version: %w", err)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA platform").Scan(&platform); err != nil {
		return fmt.Errorf("duckdb platform: %w", err)
	}
	dir := filepath.Join(cacheDir, version+"-"+platform)
	for _, name := range Extensions {
		if !linked(name) {
			return fmt.Errorf("%s: %w", name, ErrNotLinked)
		}
		path, err := buildShim(ctx, dir, name, version, platform)
		if err != nil {
			return err
		}
		if _, err := db.ExecContext(ctx, "LOAD '"+strings.ReplaceAll(path, "'", "''")+"'"); err != nil {
			return fmt.Errorf("load %s: %w", name, err)
		}
	}
	return nil
}

// buildShim compiles the shim of extension name into dir (once) and
// returns its path.
func buildShim(ctx context.Context, dir, name, version, platform string) (string, error) {
	out := filepath.Join(dir, name+".duckdb_extension")
	if _, err := os.Stat(out); err == nil {
		return out, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("shim directory: %w", err)
	}
	tmp, err := os.MkdirTemp(dir, "build-")
	if err != nil {
		return "", fmt.Errorf("shim directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	src := filepath.Join(tmp, name+".c")
	if err := os.WriteFile(src, []byte(strings.ReplaceAll(shim, "NAME", name)), 0o644); err != nil {
		return "", fmt.Errorf("shim source: %w", err)
	}
	so := filepath.Join(tmp, name+".duckdb_extension")
	cc := os.Getenv("CC")
	if cc == "" {
		cc = "cc"
	}
	cmd := exec.CommandContext(ctx, cc, "-shared", "-fPIC", "-O1", "-o", so, src, "-ldl")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("compile %s shim with %s: %w\n%s", name, cc, err, b)
	}
	if err := appendFooter(so, platform, version); err != nil {
		return "", err
	}
	// Rename last: a concurrent or interrupted build never leaves a
	// half-written extension where Load looks.
	if err := os.Rename(so, out); err != nil {
		return "", fmt.Errorf("install %s shim: %w", name, err)
	}
	return out, nil
}

// appendFooter appends DuckDB's extension metadata: eight 32-byte fields
// stored last-first (magic "4", platform, DuckDB version, extension
// version, ABI type, three unused) and a 256-byte signature, left empty
// (unsigned). See ParseExtensionMetaData in DuckDB's extension_load.cpp.
func appendFooter(path, platform, version string) error {
	fields := [8]string{"4", platform, version, version, "CPP"}
	footer := make([]byte, 0, 512)
	for i := len(fields) - 1; i >= 0; i-- {
		f := make([]byte, 32)
		copy(f, fields[i])
		footer = append(footer, f...)
	}
	footer = append(footer, make([]byte, 256)...)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("extension footer: %w", err)
	}
	if _, err := f.Write(footer); err != nil {
		f.Close()
		return fmt.Errorf("extension footer: %w", err)
	}
	return f.Close()
}
