-- Incidents per calendar year and event type (summon | protest_note | protest_statement).
-- An incident with several types (a summons at which a note was handed) counts once under
-- EACH of its types, so the rows of a year can add up to more than protests_per_year.incidents.
CREATE OR REPLACE TABLE protests_per_type AS
WITH typed AS (
    SELECT year, unnest(types) AS event_type, n_mentions FROM incidents WHERE year IS NOT NULL
)
SELECT year, event_type, count(*) AS incidents, sum(n_mentions)::BIGINT AS mentions
FROM typed
GROUP BY year, event_type
ORDER BY year, event_type;
