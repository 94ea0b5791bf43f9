-- Both directions per OSCE Minsk Group co-chair, counterpart and year: how many incidents
-- the co-chair protested to the counterpart (protests_by_cochair) and the counterpart
-- protested to the co-chair (protests_against_cochair). Only pairs with an incident appear.
-- When two co-chairs protest to each other, the incident appears once under each.
CREATE OR REPLACE TABLE cochair_protests_per_counterpart AS
WITH directed AS (
    SELECT actor AS cochair, target AS counterpart, year, 1 AS by_cochair, 0 AS against_cochair
    FROM incidents WHERE actor IN (SELECT code FROM cochairs)
    UNION ALL
    SELECT target AS cochair, actor AS counterpart, year, 0, 1
    FROM incidents WHERE target IN (SELECT code FROM cochairs)
)
SELECT
    cochair,
    counterpart,
    year,
    sum(by_cochair)::BIGINT      AS protests_by_cochair,
    sum(against_cochair)::BIGINT AS protests_against_cochair
FROM directed
WHERE year IS NOT NULL
GROUP BY cochair, counterpart, year
ORDER BY cochair, counterpart, year;
