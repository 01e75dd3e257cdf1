SELECT d.g, count(*) AS n, sum(f.v) AS total, max(d.name) AS name
FROM fact AS f
JOIN dim AS d ON f.k = d.k
GROUP BY d.g
