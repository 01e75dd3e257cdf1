package harness

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Query is one benchmark query: a Drover job and the same query in SQL.
type Query struct {
	// Name identifies the query in reports and on the command line.
	Name string `json:"name"`
	// Title describes it in one line.
	Title string `json:"title"`
	// Job is the file stem of queries/<Job>.hcl and queries/<Job>.sql.
	Job string `json:"job"`
	// DroverArgs are extra flags for `drover run`.
	DroverArgs []string `json:"drover_args,omitempty"`
	// Reads lists the columns the query reads, per table: what the decode
	// floor decodes, and whose rows count as the query's input.
	Reads []TableColumns `json:"reads"`
	// SortedBy names output columns whose order the result must keep
	// (files read in name order, rows in file order).
	SortedBy []string `json:"sorted_by,omitempty"`
	// Plugins says the job loads UDF plugins from ${var.plugins}.
	Plugins bool `json:"plugins,omitempty"`
	// DuckUDFs are the Go scalar functions DuckDB needs (see duckUDFs).
	DuckUDFs []string `json:"duck_udfs,omitempty"`
}

// TableColumns is a table and some of its columns.
type TableColumns struct {
	Table   string   `json:"table"`
	Columns []string `json:"columns"`
}

var lineitemQ6 = []string{"l_orderkey", "l_partkey", "l_suppkey", "l_linenumber", "l_quantity",
	"l_extendedprice", "l_discount", "l_shipdate"}

var q3Reads = []TableColumns{
	{"customer", []string{"c_custkey", "c_mktsegment"}},
	{"orders", []string{"o_orderkey", "o_custkey", "o_orderdate", "o_shippriority"}},
	{"lineitem", []string{"l_orderkey", "l_extendedprice", "l_discount", "l_shipdate"}},
}

// shuffledJoins keeps a query's joins shuffled: neither the planner nor
// adaptive execution may broadcast (drover run's thresholds grow with its
// memory budget, so at SF 1 either would).
var shuffledJoins = []string{"--broadcast-threshold", "-1", "--adaptive-broadcast-bytes", "-1"}

// Queries is the suite, in report order.
var Queries = []Query{
	{
		Name: "scan_filter", Title: "scan + Q6 filter + project → Parquet", Job: "scan_filter",
		Reads: []TableColumns{{"lineitem", lineitemQ6}},
	},
	{
		Name: "q1", Title: "TPC-H Q1 (4 groups)", Job: "q1",
		Reads: []TableColumns{{"lineitem", []string{"l_returnflag", "l_linestatus", "l_quantity",
			"l_extendedprice", "l_discount", "l_tax", "l_shipdate"}}},
	},
	{
		Name: "groupby_orderkey", Title: "group by l_orderkey (many groups)", Job: "groupby_orderkey",
		Reads: []TableColumns{{"lineitem", []string{"l_orderkey", "l_quantity", "l_extendedprice"}}},
	},
	{
		Name: "q3_shuffle", Title: "TPC-H Q3, shuffled hash joins", Job: "q3",
		DroverArgs: shuffledJoins, Reads: q3Reads,
	},
	{
		Name: "q3_broadcast", Title: "TPC-H Q3, broadcast joins (optimizer default)", Job: "q3",
		Reads: q3Reads,
	},
	{
		Name: "join_lineitem_orders", Title: "lineitem ⋈ orders, shuffled", Job: "join_lineitem_orders",
		DroverArgs: shuffledJoins,
		Reads: []TableColumns{
			{"lineitem", []string{"l_orderkey", "l_extendedprice"}},
			{"orders", []string{"o_orderkey", "o_orderpriority"}},
		},
	},
	{
		Name: "sort_orders", Title: "sort orders by (o_custkey, o_orderdate) → Parquet", Job: "sort_orders",
		Reads: []TableColumns{{"orders", []string{"o_orderkey", "o_custkey", "o_orderstatus", "o_totalprice",
			"o_orderdate", "o_orderpriority", "o_clerk", "o_shippriority", "o_comment"}}},
		SortedBy: []string{"o_custkey", "o_orderdate"},
	},
	{
		Name: "udf_hash", Title: "plugin UDF: sum(textkit.hash(l_comment) % 1000) by l_shipmode", Job: "udf_hash",
		Reads:   []TableColumns{{"lineitem", []string{"l_shipmode", "l_comment"}}},
		Plugins: true, DuckUDFs: []string{"textkit_hash"},
	},
}

// Select picks queries by name; an empty list means all.
func Select(names []string) ([]Query, error) {
	if len(names) == 0 {
		return Queries, nil
	}
	var out []Query
	for _, n := range names {
		q, ok := lookup(n)
		if !ok {
			return nil, fmt.Errorf("unknown query %q (want one of %s)", n, strings.Join(queryNames(), ", "))
		}
		out = append(out, q)
	}
	return out, nil
}

func lookup(name string) (Query, bool) {
	for _, q := range Queries {
		if q.Name == name {
			return q, true
		}
	}
	return Query{}, false
}

func queryNames() []string {
	var names []string
	for _, q := range Queries {
		names = append(names, q.Name)
	}
	return names
}

// files returns the job file and the SQL text of q.
func (q Query) files(dir string) (job, sql string, err error) {
	job = filepath.Join(dir, q.Job+".hcl")
	if _, err := os.Stat(job); err != nil {
		return "", "", fmt.Errorf("query %s: %w", q.Name, err)
	}
	b, err := os.ReadFile(filepath.Join(dir, q.Job+".sql"))
	if err != nil {
		return "", "", fmt.Errorf("query %s: %w", q.Name, err)
	}
	return job, strings.TrimRight(strings.TrimSpace(string(b)), ";"), nil
}

// tables lists the tables q reads.
func (q Query) tables() []string {
	var ts []string
	for _, r := range q.Reads {
		ts = append(ts, r.Table)
	}
	return ts
}
