package tpch

import (
	"fmt"
	"math/rand/v2"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// genSuppliers generates suppliers [first, last) (0-based).
func (g *generator) genSuppliers(r *rand.Rand, first, last int64) []arrow.RecordBatch {
	b := array.NewRecordBuilder(g.mem, Schemas[Supplier])
	defer b.Release()
	b.Reserve(int(last - first))
	buf := make([]byte, 0, 64)
	for i := first; i < last; i++ {
		f := b.Fields()
		appendParty(r, f, i+1, "Supplier", buf)
		f[6].(*array.StringBuilder).Append(g.supplierComment(r))
	}
	return []arrow.RecordBatch{b.NewRecordBatch()}
}

// supplierComment embeds "Customer ... Complaints" or "Customer ...
// Recommends" in 5 of every 10,000 comments each (clause 4.2.3, for Q16).
func (g *generator) supplierComment(r *rand.Rand) string {
	c := g.pool.comment(r, 25, 100)
	switch n := r.IntN(10_000); {
	case n < 5:
		return embed(r, c, "Complaints")
	case n < 10:
		return embed(r, c, "Recommends")
	}
	return c
}

func embed(r *rand.Rand, c, word string) string {
	s := "Customer " + c[:min(len(c), 10)] + " " + word
	at := r.IntN(len(c) - min(len(c), len(s)) + 1)
	out := c[:at] + s
	if rest := at + len(s); rest < len(c) {
		out += c[rest:]
	}
	return out
}

// genCustomers generates customers [first, last) (0-based).
func (g *generator) genCustomers(r *rand.Rand, first, last int64) []arrow.RecordBatch {
	b := array.NewRecordBuilder(g.mem, Schemas[Customer])
	defer b.Release()
	b.Reserve(int(last - first))
	buf := make([]byte, 0, 64)
	for i := first; i < last; i++ {
		f := b.Fields()
		appendParty(r, f, i+1, "Customer", buf)
		f[6].(*array.StringBuilder).Append(pick(r, segments))
		f[7].(*array.StringBuilder).Append(g.pool.comment(r, 29, 116))
	}
	return []arrow.RecordBatch{b.NewRecordBatch()}
}

// appendParty fills the columns suppliers and customers share, in order:
// key, "<Kind>#<key>", address, nation key, phone, account balance.
func appendParty(r *rand.Rand, f []array.Builder, key int64, kind string, buf []byte) {
	nation := r.Int64N(int64(len(nations)))
	f[0].(*array.Int64Builder).Append(key)
	f[1].(*array.StringBuilder).Append(fmt.Sprintf("%s#%09d", kind, key))
	f[2].(*array.StringBuilder).Append(vstring(r, buf, 10, 40))
	f[3].(*array.Int64Builder).Append(nation)
	f[4].(*array.StringBuilder).Append(phone(r, nation))
	appendMoney(f[5], int64(uniform(r, -99_999, 999_999)))
}

// phone is a phone number whose country code is the nation key + 10.
func phone(r *rand.Rand, nation int64) string {
	return fmt.Sprintf("%02d-%03d-%03d-%04d", nation+10, uniform(r, 100, 999), uniform(r, 100, 999), uniform(r, 1000, 9999))
}

// genNations generates the fixed nation table.
func (g *generator) genNations(r *rand.Rand, _, _ int64) []arrow.RecordBatch {
	b := array.NewRecordBuilder(g.mem, Schemas[Nation])
	defer b.Release()
	for i, n := range nations {
		f := b.Fields()
		f[0].(*array.Int64Builder).Append(int64(i))
		f[1].(*array.StringBuilder).Append(n.name)
		f[2].(*array.Int64Builder).Append(n.region)
		f[3].(*array.StringBuilder).Append(g.pool.comment(r, 31, 114))
	}
	return []arrow.RecordBatch{b.NewRecordBatch()}
}

// genRegions generates the fixed region table.
func (g *generator) genRegions(r *rand.Rand, _, _ int64) []arrow.RecordBatch {
	b := array.NewRecordBuilder(g.mem, Schemas[Region])
	defer b.Release()
	for i, name := range regions {
		f := b.Fields()
		f[0].(*array.Int64Builder).Append(int64(i))
		f[1].(*array.StringBuilder).Append(name)
		f[2].(*array.StringBuilder).Append(g.pool.comment(r, 31, 115))
	}
	return []arrow.RecordBatch{b.NewRecordBatch()}
}

// appendMoney appends a DECIMAL(15,2) given in cents.
func appendMoney(b array.Builder, cents int64) {
	b.(*array.Decimal128Builder).Append(decimal128.FromI64(cents))
}
