package tpc

import (
	"fmt"
	"sort"
	"strings"
)

// heredoc ends the query's heredoc; no query contains it on a line.
const heredoc = "DROVER_CONFORMANCE_SQL"

// JobText is the job file that runs query in Drover: one Parquet source
// per table (name → directory of Parquet files), the query as a SQL view,
// an overwrite Parquet sink at out. The query is passed verbatim: only
// HCL's template sequences are escaped, which the heredoc turns back.
func JobText(tables map[string]string, query, out string) string {
	var sb strings.Builder
	sb.WriteString("job \"conformance\" {\n")
	names := make([]string, 0, len(tables))
	for n := range tables {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&sb, "  source %q {\n    format = \"parquet\"\n    path   = %s\n  }\n", n, hclString(tables[n]+"/"))
	}
	q := strings.NewReplacer("${", "$${", "%{", "%%{").Replace(strings.TrimRight(query, "; \n\t"))
	fmt.Fprintf(&sb, "  view \"result\" {\n    sql = <<%s\n%s\n%s\n  }\n", heredoc, q, heredoc)
	fmt.Fprintf(&sb, "  sink \"result\" {\n    from   = \"result\"\n    format = \"parquet\"\n    path   = %s\n    mode   = \"overwrite\"\n  }\n}\n", hclString(out+"/"))
	return sb.String()
}

// hclString quotes s as an HCL string literal without template sequences.
func hclString(s string) string {
	q := fmt.Sprintf("%q", s)
	return strings.NewReplacer("${", "$${", "%{", "%%{").Replace(q)
}
