package s3cost

import (
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
)

// PricesEnv is the environment variable read when no --s3-prices is given.
const PricesEnv = "DROVER_S3_PRICES"

// Prices are dollars per 1,000 requests of each class, and per GB (10^9
// bytes) of data received by GETs and LISTs (transfer: 0 within a region).
type Prices struct {
	Get        float64 `json:"get"`
	Put        float64 `json:"put"`
	List       float64 `json:"list"`
	Delete     float64 `json:"delete"`
	TransferGB float64 `json:"transfer_per_gb"`
}

// DefaultPrices are S3 Standard's list prices in us-east-1: PUT, COPY,
// POST and LIST $0.005 per 1,000; GET, SELECT and all other requests
// $0.0004 per 1,000; DELETE free; data transfer within the region free.
var DefaultPrices = Prices{Get: 0.0004, Put: 0.005, List: 0.005}

// priceKeys are the names ParsePrices accepts, in the order String prints.
var priceKeys = []string{"get", "put", "list", "delete", "transfer"}

func (p *Prices) field(key string) *float64 {
	switch key {
	case "get":
		return &p.Get
	case "put":
		return &p.Put
	case "list":
		return &p.List
	case "delete":
		return &p.Delete
	case "transfer":
		return &p.TransferGB
	}
	return nil
}

// ParsePrices reads "put=0.005,get=0.0004" (dollars per 1,000 requests;
// transfer in dollars per GB) over DefaultPrices: keys left out keep
// their default. Keys: get, put, list, delete, transfer.
func ParsePrices(s string) (Prices, error) {
	p := DefaultPrices
	if strings.TrimSpace(s) == "" {
		return p, nil
	}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		k = strings.ToLower(strings.TrimSpace(k))
		if !ok || k == "" {
			return Prices{}, fmt.Errorf("S3 prices %q: %q is not key=dollars (keys: %s)", s, kv, strings.Join(priceKeys, ", "))
		}
		f := p.field(k)
		if f == nil {
			return Prices{}, fmt.Errorf("S3 prices %q: unknown key %q (keys: %s)", s, k, strings.Join(priceKeys, ", "))
		}
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || x < 0 || math.IsInf(x, 0) || math.IsNaN(x) {
			return Prices{}, fmt.Errorf("S3 prices %q: %s=%q is not a price in dollars (a number ≥ 0)", s, k, v)
		}
		*f = x
	}
	return p, nil
}

// PricesFrom is flag if set, else $DROVER_S3_PRICES, else the defaults.
func PricesFrom(flag string) (Prices, error) {
	if flag != "" {
		p, err := ParsePrices(flag)
		if err != nil {
			return Prices{}, fmt.Errorf("--s3-prices: %w", err)
		}
		return p, nil
	}
	p, err := ParsePrices(os.Getenv(PricesEnv))
	if err != nil {
		return Prices{}, fmt.Errorf("%s: %w", PricesEnv, err)
	}
	return p, nil
}

// Cost is the dollar estimate of u at these prices.
func (p Prices) Cost(u Usage) float64 {
	per := func(n int64, price float64) float64 { return float64(n) * price / 1000 }
	received := u.Get.Bytes + u.List.Bytes
	return per(u.Get.Requests, p.Get) + per(u.Put.Requests, p.Put) + per(u.List.Requests, p.List) +
		per(u.Delete.Requests, p.Delete) + float64(received)/1e9*p.TransferGB
}

// String renders the prices as ParsePrices reads them.
func (p Prices) String() string {
	var parts []string
	for _, k := range priceKeys {
		parts = append(parts, k+"="+strconv.FormatFloat(*p.field(k), 'g', -1, 64))
	}
	return strings.Join(parts, ",")
}

// Describe is a one-line legend for a cost table.
func (p Prices) Describe() string {
	type tier struct {
		price float64
		names []string
	}
	byPrice := map[float64][]string{}
	for _, k := range []string{"put", "list", "get", "delete"} {
		byPrice[*p.field(k)] = append(byPrice[*p.field(k)], strings.ToUpper(k))
	}
	var tiers []tier
	for price, names := range byPrice {
		tiers = append(tiers, tier{price, names})
	}
	sort.Slice(tiers, func(i, j int) bool { return tiers[i].price > tiers[j].price })
	var parts []string
	for _, t := range tiers {
		if t.price == 0 {
			parts = append(parts, strings.Join(t.names, "/")+" free")
			continue
		}
		parts = append(parts, fmt.Sprintf("%s $%s", strings.Join(t.names, "/"), strconv.FormatFloat(t.price, 'g', -1, 64)))
	}
	s := strings.Join(parts, ", ") + " per 1,000 requests"
	if p.TransferGB > 0 {
		s += fmt.Sprintf("; data received $%s per GB", strconv.FormatFloat(p.TransferGB, 'g', -1, 64))
	}
	return s
}

// Dollars renders an estimate: four decimals from a cent up; below that,
// two significant digits (a small job's cost is small, not nothing).
func Dollars(x float64) string {
	switch {
	case x == 0:
		return "$0"
	case x < 1e-9:
		return "<$0.000000001"
	case x >= 0.01:
		return fmt.Sprintf("$%.4f", x)
	}
	decimals := 1 - int(math.Floor(math.Log10(x)))
	return "$" + strconv.FormatFloat(x, 'f', decimals, 64)
}
