SELECT l_shipmode, count(*) AS line_count, CAST(sum(textkit_hash(l_comment) % 1000) AS BIGINT) AS hash_sum
FROM lineitem
GROUP BY l_shipmode
