SELECT * FROM orders ORDER BY o_custkey, o_orderdate
