package expr

import (
	"fmt"
	"strings"
)

// ReferenceMarkdown renders the registry as the SQL function reference
// (docs/sql-functions.md is this text, checked by a golden test).
func ReferenceMarkdown() string {
	var sb strings.Builder
	sb.WriteString("# SQL functions\n\n")
	sb.WriteString("Generated from the function registry in `expr/registry*.go` by\n")
	sb.WriteString("`go test ./expr -run Golden -update` (`make golden`); do not edit by hand.\n\n")
	sb.WriteString("Names are case-insensitive. Where Spark SQL and DuckDB disagree, Drover follows\n")
	sb.WriteString("DuckDB unless a line says otherwise. Every function returns NULL when an argument\n")
	sb.WriteString("is NULL, except where the description says how NULLs are treated.\n")
	fs := Functions()
	for _, cat := range categories {
		fmt.Fprintf(&sb, "\n## %s\n\n", cat)
		first := fmt.Sprintf("| %s | Arguments | Result | Description |\n", firstColumn(cat))
		sb.WriteString(first)
		sb.WriteString("|---|---|---|---|\n")
		for _, f := range fs {
			if f.Category != cat {
				continue
			}
			fmt.Fprintf(&sb, "| %s | %s | %s | %s |\n", cell(nameCell(f)), cell(f.Args), cell(f.Result), cell(f.Doc))
		}
	}
	return sb.String()
}

func firstColumn(cat string) string {
	if cat == catOperators {
		return "Syntax (canonical name)"
	}
	return "Name (aliases)"
}

func nameCell(f FuncInfo) string {
	var s string
	if f.Kind == FuncOperator {
		s = fmt.Sprintf("`%s` (%s)", f.Syntax, f.Name)
	} else {
		s = "`" + f.Name + "`"
	}
	if len(f.Aliases) > 0 {
		s += " — " + strings.Join(f.Aliases, ", ")
	}
	return s
}

// cell escapes a table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
