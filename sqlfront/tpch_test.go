package sqlfront

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/tpch"
	"github.com/drover-etl/drover/types"
)

// tpchRels are scans of the TPC-H tables with the generator's schemas.
func tpchRels(t *testing.T) map[string]logical.Node {
	rels := map[string]logical.Node{}
	for name, as := range tpch.Schemas {
		s := &types.Schema{}
		for _, f := range as.Fields() {
			typ, err := types.FromArrow(f.Type)
			if err != nil {
				t.Fatal(err)
			}
			s.Fields = append(s.Fields, types.Field{Qualifier: name, Name: f.Name, Type: typ, Nullable: true})
		}
		rels[name] = &logical.Scan{Source: name, Format: "parquet", Path: "data/" + name + "/", Table: s}
	}
	return rels
}

// TestTPCHPlans plans DuckDB's 22 TPC-H query texts and records, per
// query, either that it planned or the error: the golden file shows which
// queries run today and that the others fail naming what they need.
func TestTPCHPlans(t *testing.T) {
	files, err := filepath.Glob("parser/testdata/tpch/q*.sql")
	if err != nil || len(files) != 22 {
		t.Fatalf("found %d TPC-H queries (%v)", len(files), err)
	}
	var sb strings.Builder
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		node, err := PlanSelect(string(src), tpchRels(t), nil)
		switch {
		case err != nil:
			fmt.Fprintf(&sb, "%s: %v\n", filepath.Base(f), err)
		default:
			checkTree(t, f, node)
			fmt.Fprintf(&sb, "%s: planned => %s\n", filepath.Base(f), node.Schema())
		}
	}
	checkGolden(t, "tpch_plans.golden", sb.String())
}
