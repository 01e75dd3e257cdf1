SELECT o_orderpriority, count(*) AS line_count, sum(l_extendedprice) AS revenue
FROM lineitem
JOIN orders ON l_orderkey = o_orderkey
GROUP BY o_orderpriority
