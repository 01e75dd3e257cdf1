package s3cost

import (
	"context"
	"math"
	"strings"
	"sync"
	"testing"
)

func TestRecorderCountsConcurrently(t *testing.T) {
	r := NewRecorder()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				r.Request(Get, 10)
				r.Bytes(Get, 5)
				r.Request(Put, 1000)
				r.Request(Delete, 0)
			}
		})
	}
	wg.Wait()
	r.Request(List, 300)
	r.Error()
	r.Retry()
	got := r.Usage()
	want := Usage{Get: Count{800, 12000}, Put: Count{800, 800000}, List: Count{1, 300}, Delete: Count{800, 0}, Errors: 1, Retries: 1}
	if got != want {
		t.Fatalf("usage = %+v, want %+v", got, want)
	}
	if got.Requests() != 2401 {
		t.Fatalf("requests = %d, want 2401", got.Requests())
	}
}

func TestNilRecorderRecordsNothing(t *testing.T) {
	var r *Recorder
	r.Request(Get, 1)
	r.Bytes(Put, 1)
	r.Error()
	r.Retry()
	if u := r.Usage(); u != (Usage{}) {
		t.Fatalf("nil recorder usage = %+v", u)
	}
}

func TestContextInnermostRecorderWins(t *testing.T) {
	ctx := context.Background()
	if FromContext(ctx) != nil {
		t.Fatal("empty context has a recorder")
	}
	outer, inner := NewRecorder(), NewRecorder()
	octx := WithRecorder(ctx, outer)
	ictx := WithRecorder(octx, inner)
	if FromContext(octx) != outer || FromContext(ictx) != inner {
		t.Fatal("FromContext did not return the innermost recorder")
	}
	cctx, cancel := context.WithCancel(context.WithoutCancel(ictx))
	defer cancel()
	if FromContext(cctx) != inner {
		t.Fatal("a derived context lost the recorder")
	}
}

func TestUsageAdd(t *testing.T) {
	a := Usage{Get: Count{1, 2}, Put: Count{3, 4}, List: Count{5, 6}, Delete: Count{7, 0}, Errors: 1, Retries: 2}
	a.Add(a)
	want := Usage{Get: Count{2, 4}, Put: Count{6, 8}, List: Count{10, 12}, Delete: Count{14, 0}, Errors: 2, Retries: 4}
	if a != want {
		t.Fatalf("sum = %+v, want %+v", a, want)
	}
}

func TestParsePrices(t *testing.T) {
	tests := []struct {
		in      string
		want    Prices
		wantErr string
	}{
		{in: "", want: DefaultPrices},
		{in: "put=0.0055", want: Prices{Get: 0.0004, Put: 0.0055, List: 0.005}},
		{in: " GET = 0.001 , delete=0.1,transfer=0.09", want: Prices{Get: 0.001, Put: 0.005, List: 0.005, Delete: 0.1, TransferGB: 0.09}},
		{in: "list=0", want: Prices{Get: 0.0004, Put: 0.005}},
		{in: "head=1", wantErr: `unknown key "head" (keys: get, put, list, delete, transfer)`},
		{in: "put", wantErr: `"put" is not key=dollars`},
		{in: "put=cheap", wantErr: `put="cheap" is not a price`},
		{in: "put=-1", wantErr: `put="-1" is not a price`},
		{in: "put=NaN", wantErr: `is not a price`},
		{in: "put=0.005,,get=1", wantErr: `"" is not key=dollars`},
	}
	for _, tt := range tests {
		got, err := ParsePrices(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParsePrices(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParsePrices(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestPricesFromFlagThenEnv(t *testing.T) {
	t.Setenv(PricesEnv, "get=0.01")
	p, err := PricesFrom("")
	if err != nil || p.Get != 0.01 {
		t.Fatalf("from env: %+v, %v", p, err)
	}
	p, err = PricesFrom("put=1")
	if err != nil || p.Get != DefaultPrices.Get || p.Put != 1 {
		t.Fatalf("flag over env: %+v, %v", p, err)
	}
	t.Setenv(PricesEnv, "bogus")
	if _, err := PricesFrom(""); err == nil || !strings.HasPrefix(err.Error(), PricesEnv+":") {
		t.Fatalf("bad env error = %v, want it to name %s", err, PricesEnv)
	}
	if _, err := PricesFrom("bogus"); err == nil || !strings.HasPrefix(err.Error(), "--s3-prices:") {
		t.Fatalf("bad flag error = %v, want it to name --s3-prices", err)
	}
}

func TestCostAtListPrices(t *testing.T) {
	u := Usage{Get: Count{Requests: 1_000_000, Bytes: 5e9}, Put: Count{Requests: 2000}, List: Count{Requests: 1000, Bytes: 1e9}, Delete: Count{Requests: 500}}
	// 1,000,000 GETs × $0.0004/1,000 = $0.40; 2,000 PUTs = $0.01;
	// 1,000 LISTs = $0.005; DELETEs and in-region transfer free.
	if got := DefaultPrices.Cost(u); math.Abs(got-0.415) > 1e-12 {
		t.Fatalf("cost = %v, want 0.415", got)
	}
	p := DefaultPrices
	p.TransferGB = 0.09
	// + 6 GB received × $0.09.
	if got := p.Cost(u); math.Abs(got-(0.415+0.54)) > 1e-12 {
		t.Fatalf("cost with transfer = %v, want 0.955", got)
	}
}

func TestPricesStringRoundTrips(t *testing.T) {
	p := Prices{Get: 0.001, Put: 0.0055, List: 0.005, Delete: 0, TransferGB: 0.02}
	back, err := ParsePrices(p.String())
	if err != nil || back != p {
		t.Fatalf("ParsePrices(%q) = %+v, %v", p.String(), back, err)
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		p    Prices
		want string
	}{
		{DefaultPrices, "PUT/LIST $0.005, GET $0.0004, DELETE free per 1,000 requests"},
		{Prices{Get: 0.001, Put: 0.002, List: 0.003, Delete: 0.001, TransferGB: 0.09}, "LIST $0.003, PUT $0.002, GET/DELETE $0.001 per 1,000 requests; data received $0.09 per GB"},
	}
	for _, tt := range tests {
		if got := tt.p.Describe(); got != tt.want {
			t.Errorf("Describe() = %q, want %q", got, tt.want)
		}
	}
}

func TestDollars(t *testing.T) {
	tests := []struct {
		x    float64
		want string
	}{{0, "$0"}, {1e-12, "<$0.000000001"}, {8e-7, "$0.00000080"}, {0.000108, "$0.00011"}, {0.0099, "$0.0099"},
		{0.0123456, "$0.0123"}, {12.5, "$12.5000"}}
	for _, tt := range tests {
		if got := Dollars(tt.x); got != tt.want {
			t.Errorf("Dollars(%v) = %q, want %q", tt.x, got, tt.want)
		}
	}
}

func TestClassNames(t *testing.T) {
	var names []string
	for _, c := range Classes() {
		names = append(names, c.String())
	}
	if got := strings.Join(names, ","); got != "get,put,list,delete" {
		t.Fatalf("classes = %s", got)
	}
	if Class(99).String() != "unknown" {
		t.Fatal("out-of-range class has a name")
	}
}
