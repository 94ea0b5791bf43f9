-- What most needs an analyst's eye, most urgent first (priority 0 = first). One row per
-- (reason, mention or incident); what an analyst already decided (a correction touches it)
-- leaves the queue. Reasons:
--   correction_unmatched  a correction that changed nothing this run (corrections_unmatched)
--   low_confidence        a mention the extractor was unsure of (confidence < 0.7)
--   possible_miss         a sentence naming a state where a trigger fired and no mention came of it
--                         (negated, planned, guarded, no roles: table near_misses); mention_id is
--                         its near_miss_id. An analyst's rejection there, or an added mention, clears it.
--   dates_disagree        an incident whose articles give different days
--   target_disagrees      an incident whose actor, within two days, protested to another
--                         target in other articles (and no article reports both)
--   single_source         an incident reported by one article only
CREATE OR REPLACE TABLE review_queue AS
WITH m AS (
    SELECT m.*, im.incident_id, a.uri
    FROM corrected_mentions m
    JOIN incident_members im USING (mention_id)
    JOIN articles a USING (article_id)
),
unreviewed AS (
    SELECT * FROM incidents WHERE len(coalesce(correction_ids, []::VARCHAR[])) = 0
),
day_spread AS (
    SELECT incident_id, list(DISTINCT event_date::VARCHAR ORDER BY event_date::VARCHAR) AS days
    FROM m WHERE date_precision = 'day'
    GROUP BY incident_id HAVING count(DISTINCT event_date) > 1
),
other_targets AS (
    SELECT a.incident_id, list(DISTINCT b.target ORDER BY b.target) AS targets
    FROM unreviewed a
    JOIN incidents b ON a.actor = b.actor AND a.target <> b.target
     AND a.date_precision = 'day' AND b.date_precision = 'day'
     AND abs(datediff('day', a.event_date, b.event_date)) <= 2
    WHERE NOT EXISTS (
        SELECT 1 FROM m ma JOIN m mb ON ma.article_id = mb.article_id
        WHERE ma.incident_id = a.incident_id AND mb.incident_id = b.incident_id)
    GROUP BY a.incident_id
),
open_near_misses AS (
    SELECT n.*, a.uri FROM near_misses n JOIN articles a USING (article_id)
    WHERE n.near_miss_id NOT IN (SELECT mention_id FROM corrections_applied WHERE mention_id IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM corrected_mentions c WHERE c.article_id = n.article_id
                      AND c.char_start < n.char_end AND n.char_start < c.char_end)
),
queue AS (
    SELECT 0 AS priority, 'correction_unmatched' AS reason, NULL::VARCHAR AS incident_id,
           NULL::VARCHAR AS mention_id, NULL::VARCHAR AS actor, NULL::VARCHAR AS target,
           NULL::DATE AS event_date, NULL::VARCHAR AS date_precision, NULL::DOUBLE AS confidence,
           correction_id || ' (' || action || '): ' || problem || ', ' || detail AS detail,
           evidence AS sentence, article AS uri, NULL::INTEGER AS n_states
    FROM corrections_unmatched
    UNION ALL
    SELECT 1, 'low_confidence', incident_id, mention_id, actor, target, event_date, date_precision, confidence,
           'mention confidence ' || round(confidence, 2) || ', rule ' || rule, sentence, uri, NULL
    FROM m WHERE correction_id IS NULL AND confidence < 0.7
      AND incident_id IN (SELECT incident_id FROM unreviewed)
    UNION ALL
    SELECT 2, 'possible_miss', NULL, near_miss_id, NULL, NULL, NULL, NULL, NULL,
           'no incident from trigger ' || rule || ' (' || reason || '); names ' || array_to_string(states, ', '),
           sentence, uri, len(states)
    FROM open_near_misses
    UNION ALL
    SELECT 3, 'dates_disagree', i.incident_id, NULL, i.actor, i.target, i.event_date, i.date_precision, i.confidence,
           'articles give ' || array_to_string(d.days, ', '), i.evidence, i.evidence_uri, NULL
    FROM unreviewed i JOIN day_spread d USING (incident_id)
    UNION ALL
    SELECT 4, 'target_disagrees', i.incident_id, NULL, i.actor, i.target, i.event_date, i.date_precision, i.confidence,
           'other articles: ' || i.actor || ' protested to ' || array_to_string(o.targets, ', ') || ' within two days',
           i.evidence, i.evidence_uri, NULL
    FROM unreviewed i JOIN other_targets o USING (incident_id)
    UNION ALL
    SELECT 5, 'single_source', incident_id, NULL, actor, target, event_date, date_precision, confidence,
           'reported by one article only', evidence, evidence_uri, NULL
    FROM unreviewed WHERE n_articles = 1
)
-- Possible misses naming two states or more first: they point at missed incidents most often.
SELECT * FROM queue
ORDER BY priority, confidence NULLS FIRST, n_states DESC NULLS LAST, event_date DESC NULLS LAST, incident_id, mention_id;
