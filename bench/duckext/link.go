package duckext

/*
extern void tpch_duckdb_cpp_init(void *);
extern void tpcds_duckdb_cpp_init(void *);

// The references keep the extensions' archive members in the binary.
static void *duckext_tpch_init(void) { return (void *)&tpch_duckdb_cpp_init; }
static void *duckext_tpcds_init(void) { return (void *)&tpcds_duckdb_cpp_init; }
*/
import "C"

// linked reports whether the binary holds the named extension's entry point.
func linked(name string) bool {
	switch name {
	case "tpch":
		return C.duckext_tpch_init() != nil
	case "tpcds":
		return C.duckext_tpcds_init() != nil
	}
	return false
}
