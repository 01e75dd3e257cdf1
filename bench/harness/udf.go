package harness

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/duckdb/duckdb-go/v2"
)

// duckUDFs are the Go scalar functions the DuckDB side registers: the same
// functions Drover's example plugins serve, so both engines compute the
// same values.
var duckUDFs = map[string]duckdb.ScalarFunc{
	"textkit_hash": fnvHashUDF{},
}

// registerUDFs registers the named functions on conn.
func registerUDFs(conn *sql.Conn, names []string) error {
	for _, n := range names {
		f, ok := duckUDFs[n]
		if !ok {
			return fmt.Errorf("no DuckDB UDF %q", n)
		}
		if err := duckdb.RegisterScalarUDF(conn, n, f); err != nil {
			return fmt.Errorf("register %s: %w", n, err)
		}
	}
	return nil
}

// fnvHashUDF is textkit.hash: the 64-bit FNV-1a of a string's bytes, as a
// BIGINT. It uses the chunk executor, duckdb-go's fastest UDF interface.
type fnvHashUDF struct{}

func (fnvHashUDF) Config() duckdb.ScalarFuncConfig {
	in, err := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	if err != nil {
		panic(err)
	}
	out, err := duckdb.NewTypeInfo(duckdb.TYPE_BIGINT)
	if err != nil {
		panic(err)
	}
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{in}, ResultTypeInfo: out}
}

func (fnvHashUDF) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{
		ChunkContextExecutor: func(_ context.Context, chunk *duckdb.ChunkIteratorState) error {
			for row, err := range chunk.Rows() {
				if err != nil {
					return err
				}
				s, _ := (*row.GetValuePtr(0)).(string)
				if err := row.SetResult(fnv1a64(s)); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

func fnv1a64(s string) int64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return int64(h)
}
