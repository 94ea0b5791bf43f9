-- The 50 most recent incidents (by the incident's date, not publication), each with its
-- evidence sentence, the article that sentence comes from, and every article reporting it.
CREATE OR REPLACE TABLE latest_incidents AS
WITH reports AS (
    SELECT im.incident_id,
           list(DISTINCT a.uri ORDER BY a.uri)    AS article_uris,
           list(DISTINCT a.source ORDER BY a.source) AS sources
    FROM incident_members im
    JOIN corrected_mentions m USING (mention_id)
    JOIN articles a USING (article_id)
    GROUP BY im.incident_id
)
SELECT
    i.event_date,
    i.date_precision,
    i.actor,
    i.target,
    i.types,
    i.diplomat,
    i.cause,
    i.evidence,
    i.evidence_uri,
    coalesce(r.article_uris, []::VARCHAR[]) AS article_uris,
    coalesce(r.sources, []::VARCHAR[])      AS sources,
    i.n_articles,
    i.n_sources,
    i.reported_only,
    i.incident_id,
    coalesce(i.correction_ids, []::VARCHAR[]) AS correction_ids
FROM incidents i
LEFT JOIN reports r USING (incident_id)
WHERE i.event_date IS NOT NULL
ORDER BY i.event_date DESC, i.incident_id
LIMIT 50;
