-- Incidents per calendar year of the incident (not of publication), with the split by type.
-- An incident with several types (a summons with a note) counts once in `incidents`.
CREATE OR REPLACE TABLE protests_per_year AS
SELECT
    year,
    count(*)                                                    AS incidents,
    count(*) FILTER (WHERE list_contains(types, 'summon'))            AS with_summon,
    count(*) FILTER (WHERE list_contains(types, 'protest_note'))      AS with_protest_note,
    count(*) FILTER (WHERE list_contains(types, 'protest_statement')) AS with_protest_statement,
    sum(n_mentions)::BIGINT                                     AS mentions
FROM incidents
WHERE year IS NOT NULL
GROUP BY year
ORDER BY year;
