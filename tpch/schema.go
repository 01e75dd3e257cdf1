package tpch

import (
	"github.com/apache/arrow-go/v18/arrow"
)

// Table names, in the order Generate writes them.
const (
	Region   = "region"
	Nation   = "nation"
	Supplier = "supplier"
	Customer = "customer"
	Part     = "part"
	PartSupp = "partsupp"
	Orders   = "orders"
	Lineitem = "lineitem"
)

// Tables lists every table name.
var Tables = []string{Region, Nation, Supplier, Customer, Part, PartSupp, Orders, Lineitem}

var (
	keyType   = arrow.PrimitiveTypes.Int64
	intType   = arrow.PrimitiveTypes.Int32
	moneyType = &arrow.Decimal128Type{Precision: 15, Scale: 2}
	dateType  = arrow.FixedWidthTypes.Date32
	textType  = arrow.BinaryTypes.String
)

func schemaOf(cols ...arrow.Field) *arrow.Schema { return arrow.NewSchema(cols, nil) }

func col(name string, t arrow.DataType) arrow.Field { return arrow.Field{Name: name, Type: t} }

// Schemas maps each table to its Arrow schema: identifiers BIGINT, other
// integers INTEGER, money and quantities DECIMAL(15,2), dates DATE, text
// as UTF-8 strings (clause 1.4).
var Schemas = map[string]*arrow.Schema{
	Region: schemaOf(col("r_regionkey", keyType), col("r_name", textType), col("r_comment", textType)),
	Nation: schemaOf(col("n_nationkey", keyType), col("n_name", textType), col("n_regionkey", keyType),
		col("n_comment", textType)),
	Supplier: schemaOf(col("s_suppkey", keyType), col("s_name", textType), col("s_address", textType),
		col("s_nationkey", keyType), col("s_phone", textType), col("s_acctbal", moneyType),
		col("s_comment", textType)),
	Customer: schemaOf(col("c_custkey", keyType), col("c_name", textType), col("c_address", textType),
		col("c_nationkey", keyType), col("c_phone", textType), col("c_acctbal", moneyType),
		col("c_mktsegment", textType), col("c_comment", textType)),
	Part: schemaOf(col("p_partkey", keyType), col("p_name", textType), col("p_mfgr", textType),
		col("p_brand", textType), col("p_type", textType), col("p_size", intType),
		col("p_container", textType), col("p_retailprice", moneyType), col("p_comment", textType)),
	PartSupp: schemaOf(col("ps_partkey", keyType), col("ps_suppkey", keyType), col("ps_availqty", intType),
		col("ps_supplycost", moneyType), col("ps_comment", textType)),
	Orders: schemaOf(col("o_orderkey", keyType), col("o_custkey", keyType), col("o_orderstatus", textType),
		col("o_totalprice", moneyType), col("o_orderdate", dateType), col("o_orderpriority", textType),
		col("o_clerk", textType), col("o_shippriority", intType), col("o_comment", textType)),
	Lineitem: schemaOf(col("l_orderkey", keyType), col("l_partkey", keyType), col("l_suppkey", keyType),
		col("l_linenumber", intType), col("l_quantity", moneyType), col("l_extendedprice", moneyType),
		col("l_discount", moneyType), col("l_tax", moneyType), col("l_returnflag", textType),
		col("l_linestatus", textType), col("l_shipdate", dateType), col("l_commitdate", dateType),
		col("l_receiptdate", dateType), col("l_shipinstruct", textType), col("l_shipmode", textType),
		col("l_comment", textType)),
}

// counts are the base cardinalities at scale factor 1 (clause 4.2.5).
// Lineitem has no fixed count: 1 to 7 lines per order, about 6 M at SF 1.
type counts struct {
	suppliers, parts, customers, orders int64
}

func countsAt(sf float64) counts {
	n := func(base float64) int64 { return max(int64(base*sf), 1) }
	return counts{suppliers: n(10_000), parts: n(200_000), customers: n(150_000), orders: n(1_500_000)}
}
