// Package duckext opens DuckDB with its tpch and tpcds extensions loaded.
//
// duckdb-go-bindings links libtpch_extension.a and libtpcds_extension.a
// into every binary but its generated extension loader registers only
// core_functions, parquet, json, icu and autocomplete; `LOAD tpch` then
// tries to download the extension, which fails offline and would fetch a
// second copy of code the binary already holds. This package makes the
// linked copies loadable:
//
//   - link.go references tpch_duckdb_cpp_init and tpcds_duckdb_cpp_init, so
//     the linker keeps those archive members (the bindings link with
//     -rdynamic, so the binary exports them);
//   - Open compiles, once per cache directory, a 10-line shared object per
//     extension whose <name>_duckdb_cpp_init forwards to the binary's own
//     through dlsym(RTLD_DEFAULT), appends DuckDB's 512-byte extension footer
//     (platform, DuckDB version, C++ ABI; no signature), and LOADs it into a
//     database opened with allow_unsigned_extensions.
//
// DuckDB's own code does the rest (ExtensionLoader, registration of dbgen,
// dsdgen, tpch_queries() and tpcds_queries()). Building the shim needs the
// C compiler cgo already uses (CC, default cc).
package duckext
