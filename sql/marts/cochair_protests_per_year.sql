-- Both directions side by side, per year and OSCE Minsk Group co-chair (table cochairs):
-- incidents in which the co-chair protested (protests_by_cochair) and in which it was the
-- target (protests_against_cochair). Every co-chair appears for every year with incidents.
-- The same numbers in long form are in protests_per_cochair (role 'actor' | 'target').
CREATE OR REPLACE TABLE cochair_protests_per_year AS
WITH years AS (SELECT DISTINCT year FROM incidents WHERE year IS NOT NULL)
SELECT
    y.year,
    c.code                                                            AS cochair,
    count(*) FILTER (WHERE i.actor = c.code)                          AS protests_by_cochair,
    count(*) FILTER (WHERE i.target = c.code)                         AS protests_against_cochair
FROM years y
CROSS JOIN cochairs c
LEFT JOIN incidents i ON i.year = y.year AND c.code IN (i.actor, i.target)
GROUP BY y.year, c.code
ORDER BY y.year, c.code;
