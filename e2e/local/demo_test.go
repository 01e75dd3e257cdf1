package local

import (
	"context"
	"encoding/csv"
	"fmt"
	"github.com/drover-etl/drover/internal/e2eutil"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/drover-etl/drover/sampledata"
)

// order is one row of the generated orders CSV, parsed independently.
type order struct {
	customer int64
	status   string
	cents    int64
	hasAmt   bool
	day      string
}

func readOrders(t *testing.T, dataDir string) []order {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dataDir, "orders", "day=*", "*.csv"))
	if len(files) == 0 {
		t.Fatal("no orders generated")
	}
	var out []order
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(fh).ReadAll()
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs[1:] {
			o := order{status: r[2], day: r[5][:10]}
			o.customer, _ = strconv.ParseInt(r[1], 10, 64)
			if r[3] != "" {
				o.hasAmt = true
				whole, frac, _ := strings.Cut(r[3], ".")
				w, _ := strconv.ParseInt(whole, 10, 64)
				fr, _ := strconv.ParseInt(frac, 10, 64)
				o.cents = w*100 + fr
			}
			out = append(out, o)
		}
	}
	return out
}

type customer struct{ country, tier string }

func readCustomers(t *testing.T, dataDir string) map[int64]customer {
	t.Helper()
	rows := e2eutil.ReadParquetFile(t, filepath.Join(dataDir, "customers", "customers.parquet"), nil)
	out := map[int64]customer{}
	for _, r := range rows {
		id, _ := strconv.ParseInt(r["customer_id"], 10, 64)
		out[id] = customer{country: r["country"], tier: r["tier"]}
	}
	return out
}

func cents(c int64) string { return fmt.Sprintf("%d.%02d", c/100, c%100) }

// TestDemoJob runs jobs/daily_revenue.hcl on generated data and checks
// both sinks against answers computed here from the raw files.
func TestDemoJob(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	dir := t.TempDir()
	data, out := filepath.Join(dir, "data"), filepath.Join(dir, "out")
	if _, err := sampledata.Generate(context.Background(), sampledata.Config{Dir: data, Customers: 300, OrdersPerDay: 3000, Days: 3, End: "2026-11-20", Seed: 7}); err != nil {
		t.Fatal(err)
	}
	job := filepath.Join(e2eutil.RepoRoot(t), "jobs", "daily_revenue.hcl")
	for _, bc := range []int64{0, -1} { // broadcast joins, then shuffled joins
		t.Run(fmt.Sprintf("broadcast=%d", bc), func(t *testing.T) {
			if _, err := runJob(t, job, runOpts{vars: map[string]string{"data": data, "out": out}, broadcast: bc, partitions: 3}); err != nil {
				t.Fatal(err)
			}
			orders, custs := readOrders(t, data), readCustomers(t, data)
			checkRevenue(t, filepath.Join(out, "revenue"), orders, custs)
			checkTopCustomers(t, filepath.Join(out, "top_customers"), orders, custs)
			if _, err := os.Stat(filepath.Join(out, "revenue", "_SUCCESS")); err != nil {
				t.Fatal("no _SUCCESS marker")
			}
		})
	}
}

func checkRevenue(t *testing.T, dir string, orders []order, custs map[int64]customer) {
	t.Helper()
	type agg struct {
		cents, n int64
		tiers    map[string]bool
	}
	want := map[string]*agg{}
	for _, o := range orders {
		c, ok := custs[o.customer]
		if o.status != "paid" || !o.hasAmt || o.cents <= 0 || !ok || c.country == "NULL" {
			continue
		}
		k := c.country + "|" + o.day
		a := want[k]
		if a == nil {
			a = &agg{tiers: map[string]bool{}}
			want[k] = a
		}
		a.cents += o.cents
		a.n++
		if c.tier != "NULL" {
			a.tiers[c.tier] = true
		}
	}
	for k, a := range want {
		if a.cents <= 10000 { // HAVING revenue > 100
			delete(want, k)
		}
	}
	got := e2eutil.ReadParquetDir(t, dir)
	if len(got) != len(want) {
		t.Fatalf("revenue: %d rows, want %d", len(got), len(want))
	}
	for _, r := range got {
		k := r["country"] + "|" + r["day"]
		a := want[k]
		if a == nil {
			t.Fatalf("unexpected group %s", k)
		}
		avg, _ := strconv.ParseFloat(r["avg_amount"], 64)
		wantAvg := float64(a.cents) / 100 / float64(a.n)
		if !sameDecimal(r["revenue"], cents(a.cents)) || r["orders"] != fmt.Sprint(a.n) || math.Abs(avg-wantAvg) > 1e-9 || r["tiers"] != fmt.Sprint(len(a.tiers)) {
			t.Fatalf("group %s: got %v, want revenue=%s orders=%d avg=%v tiers=%d", k, r, cents(a.cents), a.n, wantAvg, len(a.tiers))
		}
	}
}

func checkTopCustomers(t *testing.T, dir string, orders []order, custs map[int64]customer) {
	t.Helper()
	type agg struct {
		country string
		id      int64
		cents   int64
		n       int64
	}
	by := map[string]*agg{}
	for _, o := range orders {
		c, ok := custs[o.customer]
		if o.status != "paid" || !o.hasAmt || o.cents <= 0 || !ok {
			continue
		}
		k := c.country + "|" + fmt.Sprint(o.customer)
		if by[k] == nil {
			by[k] = &agg{country: c.country, id: o.customer}
		}
		by[k].cents += o.cents
		by[k].n++
	}
	var all []*agg
	for _, a := range by {
		all = append(all, a)
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].cents != all[j].cents {
			return all[i].cents > all[j].cents
		}
		return all[i].id < all[j].id
	})
	var want []string
	for _, a := range all[:10] {
		country := a.country
		if country == "NULL" {
			country = ""
		}
		want = append(want, fmt.Sprintf("%s,%d,%s,%d", country, a.id, cents(a.cents), a.n))
	}
	var got []string
	files := e2eutil.VisibleFiles(t, dir)
	for _, f := range files {
		fh, _ := os.Open(filepath.Join(dir, f))
		recs, err := csv.NewReader(fh).ReadAll()
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) == 0 || strings.Join(recs[0], ",") != "country,customer_id,spent,orders" {
			t.Fatalf("%s: header %v", f, recs)
		}
		for _, r := range recs[1:] {
			got = append(got, strings.Join(r, ","))
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("top customers:\ngot\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// sameDecimal compares decimal texts by value ("1.5" equals "1.50").
func sameDecimal(a, b string) bool {
	x, ok1 := new(big.Rat).SetString(a)
	y, ok2 := new(big.Rat).SetString(b)
	return ok1 && ok2 && x.Cmp(y) == 0
}
