-- Incidents per dyad (actor protested to target) and calendar year of the incident.
-- Directed: AZE>RUS and RUS>AZE are two dyads. An incident counts once, whatever its types.
CREATE OR REPLACE TABLE protests_per_dyad_year AS
SELECT
    actor,
    target,
    year,
    count(*)                                                          AS incidents,
    count(*) FILTER (WHERE list_contains(types, 'summon'))            AS with_summon,
    count(*) FILTER (WHERE list_contains(types, 'protest_note'))      AS with_protest_note,
    count(*) FILTER (WHERE list_contains(types, 'protest_statement')) AS with_protest_statement,
    sum(n_mentions)::BIGINT                                           AS mentions,
    max(event_date)                                                   AS last_event_date
FROM incidents
WHERE year IS NOT NULL
GROUP BY actor, target, year
ORDER BY year, incidents DESC, actor, target;
