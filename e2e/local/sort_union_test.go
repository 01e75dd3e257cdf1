package local

import (
	"encoding/json"
	"fmt"
	"github.com/drover-etl/drover/internal/e2eutil"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestGlobalSortAcrossFilesAndTopN checks that a sorted sink is ordered
// across its part files (range partitioning), spills under a small memory
// budget, and that ORDER BY ... LIMIT keeps exactly the top rows.
func TestGlobalSortAcrossFilesAndTopN(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	data := genData(t)
	out := filepath.Join(t.TempDir(), "out")
	job := fmt.Sprintf(`
job "sort" {
  source "orders" {
    format = "csv"
    path   = "%[1]s/orders/day=*/*.csv"
    schema = { order_id = "int64", customer_id = "int64", status = "string", amount = "decimal(10,2)", note = "string", ordered_at = "timestamp" }
  }
  view "sorted" {
    from     = "orders"
    where    = "amount IS NOT NULL"
    select   = ["order_id", "amount"]
    order_by = ["amount DESC", "order_id"]
  }
  view "top" {
    sql = "SELECT order_id, amount FROM orders WHERE status IN ('paid', 'pending') ORDER BY amount DESC, order_id LIMIT 5"
  }
  sink "sorted" {
    from   = "sorted"
    format = "parquet"
    path   = "%[2]s/sorted"
  }
  sink "top" {
    from   = "top"
    format = "jsonl"
    path   = "%[2]s/top"
  }
}`, data, out)
	sum, err := runJob(t, writeJob(t, t.TempDir(), job), runOpts{partitions: 4, memory: 16 << 10})
	if err != nil {
		t.Fatal(err)
	}
	var spilled int64
	for _, s := range sum.Stages {
		spilled += s.Metrics.SpilledBytes
	}
	if spilled == 0 {
		t.Error("sort did not spill under a 16 KiB budget")
	}
	orders := readOrders(t, data)
	type row struct {
		id    int64
		cents int64
	}
	var want []row
	var wantTop []row
	all := readOrderIDs(t, data)
	for i, o := range orders {
		if o.hasAmt {
			want = append(want, row{all[i], o.cents})
			if o.status == "paid" || o.status == "pending" {
				wantTop = append(wantTop, row{all[i], o.cents})
			}
		}
	}
	less := func(rs []row) func(i, j int) bool {
		return func(i, j int) bool {
			if rs[i].cents != rs[j].cents {
				return rs[i].cents > rs[j].cents
			}
			return rs[i].id < rs[j].id
		}
	}
	sort.Slice(want, less(want))
	sort.Slice(wantTop, less(wantTop))

	// Part files in name order, concatenated, must be the global order.
	var got []row
	files := e2eutil.VisibleFiles(t, filepath.Join(out, "sorted"))
	if len(files) < 2 {
		t.Fatalf("want several part files, got %v", files)
	}
	for _, f := range files {
		for _, r := range e2eutil.ReadParquetFile(t, filepath.Join(out, "sorted", f), nil) {
			id, _ := strconv.ParseInt(r["order_id"], 10, 64)
			got = append(got, row{id, centsOf(t, r["amount"])})
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("sorted output is not in global order (%d rows, want %d)", len(got), len(want))
	}
	var top []row
	for _, f := range e2eutil.VisibleFiles(t, filepath.Join(out, "top")) {
		b, _ := os.ReadFile(filepath.Join(out, "top", f))
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var m map[string]json.Number
			d := json.NewDecoder(strings.NewReader(line))
			d.UseNumber()
			if err := d.Decode(&m); err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			id, _ := m["order_id"].Int64()
			top = append(top, row{id, centsOf(t, m["amount"].String())})
		}
	}
	if fmt.Sprint(top) != fmt.Sprint(wantTop[:5]) {
		t.Fatalf("top 5: got %v, want %v", top, wantTop[:5])
	}
}

func centsOf(t *testing.T, s string) int64 {
	t.Helper()
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("bad decimal %q", s)
	}
	r.Mul(r, big.NewRat(100, 1))
	return r.Num().Int64()
}

// readOrderIDs returns order_id per row, in readOrders' order.
func readOrderIDs(t *testing.T, data string) []int64 {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(data, "orders", "day=*", "*.csv"))
	var ids []int64
	for _, f := range files {
		recs := e2eutil.ReadCSV(t, f)
		for _, r := range recs[1:] {
			id, _ := strconv.ParseInt(r[0], 10, 64)
			ids = append(ids, id)
		}
	}
	return ids
}

// TestUnionDistinctSemiAnti checks UNION (distinct), DISTINCT, semi and
// anti joins (with a residual ON filter) against sets computed here.
func TestUnionDistinctSemiAnti(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	dir := t.TempDir()
	e2eutil.WriteFile(t, filepath.Join(dir, "c.csv"), "id,country\n1,DE\n2,FR\n3,\n4,US\n5,DE\n")
	e2eutil.WriteFile(t, filepath.Join(dir, "e.csv"), "cid,kind\n1,view\n1,purchase\n2,view\n3,purchase\n9,purchase\n")
	out := filepath.Join(dir, "out")
	job := fmt.Sprintf(`
job "u" {
  source "c" {
    format = "csv"
    path   = "%[1]s/c.csv"
  }
  source "e" {
    format = "csv"
    path   = "%[1]s/e.csv"
  }
  view "active" {
    from = "c"
    join "e" {
      type = "semi"
      on   = "c.id = e.cid"
    }
  }
  view "nonbuyers" {
    from = "c"
    join "e" {
      type = "anti"
      on   = "c.id = e.cid AND e.kind = 'purchase'"
    }
  }
  view "both" {
    sql = "SELECT id, country FROM active UNION SELECT id, country FROM nonbuyers"
  }
  sink "active" {
    from   = "active"
    format = "csv"
    path   = "%[2]s/active"
  }
  sink "nonbuyers" {
    from   = "nonbuyers"
    format = "csv"
    path   = "%[2]s/nonbuyers"
  }
  sink "both" {
    from   = "both"
    format = "csv"
    path   = "%[2]s/both"
  }
}`, dir, out)
	if _, err := runJob(t, writeJob(t, dir, job), runOpts{partitions: 3}); err != nil {
		t.Fatal(err)
	}
	check := func(name string, want ...string) {
		t.Helper()
		checkCSVRows(t, filepath.Join(out, name), want...)
	}
	check("active", "1,DE", "2,FR", "3,")
	check("nonbuyers", "2,FR", "4,US", "5,DE")
	check("both", "1,DE", "2,FR", "3,", "4,US", "5,DE")
}
