package parser

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/drover-etl/drover/sqlfront/ast"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestASTGolden dumps the whole tree (node types, positions and fields)
// of a few queries and compares it with testdata/ast/*.golden.
func TestASTGolden(t *testing.T) {
	for _, name := range []string{"tpch/q13.sql", "tpch/q22.sql", "tpcds/36.sql", "tpcds/51.sql"} {
		src, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		q, err := ParseQuery(string(src))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var sb strings.Builder
		dump(&sb, reflect.ValueOf(q), 0)
		golden := filepath.Join("testdata", "ast", strings.NewReplacer("/", "_", ".sql", ".golden").Replace(name))
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, []byte(sb.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (go test -update creates it)", err)
		}
		if string(want) != sb.String() {
			t.Errorf("%s: tree differs from %s (go test -update rewrites it):\n%s", name, golden, sb.String())
		}
	}
}

// dump writes v as an indented tree, one field per line, leaving out
// zero values.
func dump(sb *strings.Builder, v reflect.Value, depth int) {
	indent := strings.Repeat("  ", depth)
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			sb.WriteString("nil\n")
			return
		}
		dump(sb, v.Elem(), depth)
	case reflect.Struct:
		if p, ok := v.Interface().(ast.Pos); ok {
			fmt.Fprintf(sb, "%d:%d\n", p.Line, p.Col)
			return
		}
		sb.WriteString(v.Type().Name() + "\n")
		for i := 0; i < v.NumField(); i++ {
			f := v.Field(i)
			if f.IsZero() {
				continue
			}
			fmt.Fprintf(sb, "%s  %s: ", indent, v.Type().Field(i).Name)
			dump(sb, f, depth+1)
		}
	case reflect.Slice:
		sb.WriteString("[\n")
		for i := 0; i < v.Len(); i++ {
			fmt.Fprintf(sb, "%s  - ", indent)
			dump(sb, v.Index(i), depth+1)
		}
		fmt.Fprintf(sb, "%s  ]\n", indent)
	case reflect.String:
		fmt.Fprintf(sb, "%q\n", v.String())
	default:
		if s, ok := v.Interface().(fmt.Stringer); ok {
			fmt.Fprintf(sb, "%s\n", s)
			return
		}
		fmt.Fprintf(sb, "%v\n", v.Interface())
	}
}
