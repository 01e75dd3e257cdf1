package tpch

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Dates of clause 4.2.3, as days since the Unix epoch.
var (
	startDate   = epochDays(1992, 1, 1)
	currentDate = epochDays(1995, 6, 17)
	endDate     = epochDays(1998, 12, 31)
	// lastOrderDate leaves room for the longest ship and receipt delays.
	lastOrderDate = endDate - 151
)

func epochDays(y int, m time.Month, d int) int32 {
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// orderKey makes the sparse keys of clause 4.2.3: of each 32 keys only the
// first 8 are used.
func orderKey(i int64) int64 { return i/8*32 + i%8 + 1 }

// retailPrice is P_RETAILPRICE of a part, in cents.
func retailPrice(partKey int64) int64 {
	return 90000 + (partKey/10)%20001 + 100*(partKey%1000)
}

// partSupplier is the i-th (0..3) supplier of a part: PS_SUPPKEY, and
// L_SUPPKEY with a random i.
func partSupplier(partKey, i, suppliers int64) int64 {
	return (partKey+i*(suppliers/4+(partKey-1)/suppliers))%suppliers + 1
}

// orderBuilders holds the builders of the orders and lineitem columns.
type orderBuilders struct {
	orders, lines *array.RecordBuilder
}

// genOrders generates orders [first, last) with their line items.
func (g *generator) genOrders(r *rand.Rand, first, last int64) []arrow.RecordBatch {
	b := orderBuilders{
		orders: array.NewRecordBuilder(g.mem, Schemas[Orders]),
		lines:  array.NewRecordBuilder(g.mem, Schemas[Lineitem]),
	}
	defer b.orders.Release()
	defer b.lines.Release()
	b.orders.Reserve(int(last - first))
	b.lines.Reserve(int(last-first) * 4)
	for i := first; i < last; i++ {
		g.genOrder(r, b, i)
	}
	return []arrow.RecordBatch{b.orders.NewRecordBatch(), b.lines.NewRecordBatch()}
}

func (g *generator) genOrder(r *rand.Rand, b orderBuilders, i int64) {
	key := orderKey(i)
	cust := 1 + r.Int64N(g.n.customers)
	if cust%3 == 0 { // a third of the customers never order
		cust--
	}
	date := startDate + int32(r.IntN(int(lastOrderDate-startDate+1)))
	lines := uniform(r, 1, 7)
	var total int64
	shipped := 0
	for l := 1; l <= lines; l++ {
		price, done := g.genLine(r, b.lines, key, l, date)
		total += price
		if done {
			shipped++
		}
	}
	status := "P"
	switch shipped {
	case lines:
		status = "F"
	case 0:
		status = "O"
	}
	f := b.orders.Fields()
	f[0].(*array.Int64Builder).Append(key)
	f[1].(*array.Int64Builder).Append(cust)
	f[2].(*array.StringBuilder).Append(status)
	appendMoney(f[3], total)
	f[4].(*array.Date32Builder).Append(arrow.Date32(date))
	f[5].(*array.StringBuilder).Append(pick(r, priorities))
	f[6].(*array.StringBuilder).Append(fmt.Sprintf("Clerk#%09d", 1+r.Int64N(g.clerks)))
	f[7].(*array.Int32Builder).Append(0)
	f[8].(*array.StringBuilder).Append(g.pool.comment(r, 19, 78))
}

// genLine appends one line item and returns its share of O_TOTALPRICE (in
// cents, rounded as dbgen does) and whether its status is F.
func (g *generator) genLine(r *rand.Rand, b *array.RecordBuilder, order int64, line int, date int32) (int64, bool) {
	part := 1 + r.Int64N(g.n.parts)
	supp := partSupplier(part, r.Int64N(4), g.n.suppliers)
	qty := int64(uniform(r, 1, 50))
	ext := qty * retailPrice(part)
	disc, tax := int64(uniform(r, 0, 10)), int64(uniform(r, 0, 8))
	ship := date + int32(uniform(r, 1, 121))
	commit := date + int32(uniform(r, 30, 90))
	receipt := ship + int32(uniform(r, 1, 30))
	flag := "N"
	if receipt <= currentDate {
		flag = [2]string{"R", "A"}[r.IntN(2)]
	}
	status := "O"
	if ship <= currentDate {
		status = "F"
	}
	f := b.Fields()
	f[0].(*array.Int64Builder).Append(order)
	f[1].(*array.Int64Builder).Append(part)
	f[2].(*array.Int64Builder).Append(supp)
	f[3].(*array.Int32Builder).Append(int32(line))
	appendMoney(f[4], qty*100)
	appendMoney(f[5], ext)
	appendMoney(f[6], disc)
	appendMoney(f[7], tax)
	f[8].(*array.StringBuilder).Append(flag)
	f[9].(*array.StringBuilder).Append(status)
	f[10].(*array.Date32Builder).Append(arrow.Date32(ship))
	f[11].(*array.Date32Builder).Append(arrow.Date32(commit))
	f[12].(*array.Date32Builder).Append(arrow.Date32(receipt))
	f[13].(*array.StringBuilder).Append(pick(r, instructions))
	f[14].(*array.StringBuilder).Append(pick(r, shipModes))
	f[15].(*array.StringBuilder).Append(g.pool.comment(r, 10, 43))
	return ext * (100 - disc) / 100 * (100 + tax) / 100, status == "F"
}
