SELECT l_orderkey, l_partkey, l_suppkey, l_linenumber, l_quantity, l_extendedprice, l_discount, l_shipdate, l_comment
FROM lineitem
ORDER BY l_shipdate, l_orderkey, l_linenumber
