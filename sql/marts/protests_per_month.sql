-- Incidents per calendar month of the incident. Only incidents dated to the day or the month
-- have a month: year-precise incidents are left out here (they are in protests_per_year).
-- Every month from the first to the last one with incidents appears, with 0 where there
-- were none, so charts and moving averages have no gaps.
CREATE OR REPLACE TABLE protests_per_month AS
WITH dated AS (
    SELECT date_trunc('month', event_date)::DATE AS month_start, types, n_mentions
    FROM incidents
    WHERE event_date IS NOT NULL AND date_precision IN ('day', 'month')
),
months AS (
    SELECT unnest(generate_series(min(month_start), max(month_start), INTERVAL 1 MONTH))::DATE AS month_start
    FROM dated
    HAVING count(*) > 0
)
SELECT
    year(m.month_start)::INTEGER                                        AS year,
    month(m.month_start)::INTEGER                                       AS month,
    m.month_start,
    count(d.month_start)                                                AS incidents,
    count(*) FILTER (WHERE list_contains(d.types, 'summon'))            AS with_summon,
    count(*) FILTER (WHERE list_contains(d.types, 'protest_note'))      AS with_protest_note,
    count(*) FILTER (WHERE list_contains(d.types, 'protest_statement')) AS with_protest_statement,
    coalesce(sum(d.n_mentions), 0)::BIGINT                              AS mentions
FROM months m
LEFT JOIN dated d USING (month_start)
GROUP BY m.month_start
ORDER BY m.month_start;
