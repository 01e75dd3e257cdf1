SELECT l_orderkey, count(*) AS line_count, sum(l_quantity) AS quantity, sum(l_extendedprice) AS revenue
FROM lineitem
GROUP BY l_orderkey
