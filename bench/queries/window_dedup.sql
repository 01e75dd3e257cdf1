SELECT l_orderkey, l_linenumber, l_shipdate, l_extendedprice
FROM (
  SELECT l_orderkey, l_linenumber, l_shipdate, l_extendedprice,
         row_number() OVER (PARTITION BY l_orderkey ORDER BY l_shipdate DESC, l_linenumber) AS rn
  FROM lineitem
) AS t
WHERE rn = 1
