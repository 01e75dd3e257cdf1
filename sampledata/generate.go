package sampledata

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/storage"
)

// Config sizes the data set.
type Config struct {
	Dir          string
	Customers    int
	OrdersPerDay int
	Days         int
	End          string // last day, YYYY-MM-DD
	Seed         int64
}

var (
	countries = []string{"DE", "FR", "US", "GB", "JP", "BR", "IN", "NL", "SE", "ES", "IT", "CA"}
	firsts    = []string{"Anna", "José", "Zoë", "Björn", "Chloé", "Søren", "Ana", "Li", "Mateo", "Aarav", "Yuki", "Olivia", "Noah", "Émile", "Dvořák"}
	lasts     = []string{"Müller", "García", "O'Brien", "Nguyễn", "Smith", "Kowalski", "Rossi", "Tanaka", "da Silva", "Johansson", "Dubois", "Patel"}
	tiers     = []string{"gold", "silver", "bronze"}
	statuses  = []string{"paid", "paid", "paid", "paid", "pending", "refunded", "cancelled"}
	notes     = []string{"", "gift wrap", `say "thanks"`, "leave at door, please", "fragile\nhandle with care", "🎁 birthday", "rush, rush", "naïve café order"}
	kinds     = []string{"view", "click", "add_to_cart", "purchase"}
)

// Generate writes the data set under cfg.Dir and returns a summary line.
func Generate(ctx context.Context, cfg Config) (string, error) {
	end, err := time.Parse("2006-01-02", cfg.End)
	if err != nil {
		return "", fmt.Errorf("--end: %w", err)
	}
	if cfg.Customers <= 0 || cfg.OrdersPerDay <= 0 || cfg.Days <= 0 {
		return "", fmt.Errorf("customers, orders-per-day and days must be positive")
	}
	rng := rand.New(rand.NewPCG(uint64(cfg.Seed), 7))
	if err := writeCustomers(ctx, cfg, rng); err != nil {
		return "", err
	}
	orders := 0
	for d := 0; d < cfg.Days; d++ {
		day := end.AddDate(0, 0, d-cfg.Days+1)
		n, err := writeOrders(cfg, rng, day, orders)
		if err != nil {
			return "", err
		}
		orders += n
	}
	if err := writeEvents(cfg, rng, end); err != nil {
		return "", err
	}
	return fmt.Sprintf("wrote %d customers, %d orders over %d days, events to %s", cfg.Customers, orders, cfg.Days, cfg.Dir), nil
}

func writeCustomers(ctx context.Context, cfg Config, rng *rand.Rand) error {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "customer_id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "name", Type: arrow.BinaryTypes.String},
		{Name: "country", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "tier", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "signup_date", Type: arrow.FixedWidthTypes.Date32},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= cfg.Customers; i++ {
		b.Field(0).(*array.Int64Builder).Append(int64(i))
		b.Field(1).(*array.StringBuilder).Append(firsts[rng.IntN(len(firsts))] + " " + lasts[rng.IntN(len(lasts))])
		appendMaybe(b.Field(2).(*array.StringBuilder), countries[rng.IntN(len(countries))], rng.IntN(50) == 0)
		appendMaybe(b.Field(3).(*array.StringBuilder), tiers[rng.IntN(len(tiers))], rng.IntN(4) == 0)
		b.Field(4).(*array.Date32Builder).Append(arrow.Date32FromTime(base.AddDate(0, 0, rng.IntN(2000))))
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	return writeFile(ctx, filepath.Join(cfg.Dir, "customers", "customers.parquet"), "parquet", schema, rec)
}

func appendMaybe(b *array.StringBuilder, v string, null bool) {
	if null {
		b.AppendNull()
		return
	}
	b.Append(v)
}

func writeFile(ctx context.Context, path, formatName string, schema *arrow.Schema, rec arrow.RecordBatch) error {
	f, err := format.Lookup(formatName)
	if err != nil {
		return err
	}
	loc, err := storage.Resolve(ctx, path)
	if err != nil {
		return err
	}
	w, err := loc.Store.Create(ctx, loc.Key)
	if err != nil {
		return err
	}
	fw, err := f.NewWriter(w, schema, nil)
	if err != nil {
		w.Abort()
		return err
	}
	if err := fw.Write(rec); err != nil {
		w.Abort()
		return err
	}
	if err := fw.Close(); err != nil {
		w.Abort()
		return err
	}
	return w.Close()
}

// writeOrders writes one day of orders as two CSV files, hand-formatted so
// the mess (quoted commas, embedded newlines, empty fields) is exact.
func writeOrders(cfg Config, rng *rand.Rand, day time.Time, firstID int) (int, error) {
	dir := filepath.Join(cfg.Dir, "orders", "day="+day.Format("2006-01-02"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	n := 0
	for part := 0; part < 2; part++ {
		rows := cfg.OrdersPerDay / 2
		if part == 1 {
			rows = cfg.OrdersPerDay - rows
		}
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("orders-%d.csv", part)))
		if err != nil {
			return 0, err
		}
		fmt.Fprintln(f, "order_id,customer_id,status,amount,note,ordered_at")
		for i := 0; i < rows; i++ {
			n++
			writeOrderRow(f, rng, firstID+n, cfg.Customers, day)
		}
		if err := f.Close(); err != nil {
			return 0, err
		}
	}
	return n, nil
}

func writeOrderRow(f *os.File, rng *rand.Rand, id, customers int, day time.Time) {
	cust := fmt.Sprint(1 + rng.IntN(customers+customers/50)) // some orders reference unknown customers
	amount := fmt.Sprintf("%d.%02d", rng.IntN(500), rng.IntN(100))
	if rng.IntN(40) == 0 {
		amount = "" // NULL
	}
	note := notes[rng.IntN(len(notes))]
	ts := day.Add(time.Duration(rng.IntN(86400)) * time.Second).Format("2006-01-02 15:04:05")
	fmt.Fprintf(f, "%d,%s,%s,%s,%s,%s\n", id, cust, statuses[rng.IntN(len(statuses))], amount, csvQuote(note), ts)
}

func csvQuote(s string) string {
	if s == "" {
		return ""
	}
	out := []byte{'"'}
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			out = append(out, '"')
		}
		out = append(out, s[i])
	}
	return string(append(out, '"'))
}

func writeEvents(cfg Config, rng *rand.Rand, end time.Time) error {
	dir := filepath.Join(cfg.Dir, "events")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "events.jsonl"))
	if err != nil {
		return err
	}
	for i := 1; i <= cfg.OrdersPerDay; i++ {
		ts := end.Add(time.Duration(rng.IntN(86400)) * time.Second).Format(time.RFC3339)
		fmt.Fprintf(f, `{"event_id": %d, "customer_id": %d, "kind": %q, "ts": %q, "value": %.2f}`+"\n",
			i, 1+rng.IntN(cfg.Customers), kinds[rng.IntN(len(kinds))], ts, rng.Float64()*100)
	}
	return f.Close()
}
