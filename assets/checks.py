"""Asset checks on what analysts rely on. Each check runs a SQL query that returns the
offending rows; no rows means the promise holds."""


from dagster import AssetCheckResult, AssetCheckSeverity, AssetKey, MetadataValue, asset_check

from assets.marts import incidents, review_queue
from assets.resources import WarehouseResource

_INPUTS_ACCOUNTED = """
WITH r AS (SELECT source, count(*) AS n, max(discovered_at) AS discovered FROM raw_articles GROUP BY source),
     a AS (SELECT source, count(*) AS n, max(cleaned_at) AS cleaned FROM articles GROUP BY source),
     j AS (SELECT source, count(*) AS n, max(rejected_at) AS rejected FROM rejected GROUP BY source)
SELECT r.source, r.n AS inputs, coalesce(a.n, 0) AS articles, coalesce(j.n, 0) AS rejected,
       r.discovered > greatest(coalesce(a.cleaned, TIMESTAMP '1970-01-01'),
                               coalesce(j.rejected, TIMESTAMP '1970-01-01')) AS cleaning_pending
FROM r LEFT JOIN a USING (source) LEFT JOIN j USING (source)
WHERE r.n <> coalesce(a.n, 0) + coalesce(j.n, 0)
"""

_ORPHAN_MENTIONS = """
SELECT m.mention_id, m.article_id, im.incident_id
FROM corrected_mentions m
LEFT JOIN articles a USING (article_id)
LEFT JOIN incident_members im USING (mention_id)
LEFT JOIN incidents i ON i.incident_id = im.incident_id
WHERE a.article_id IS NULL OR i.incident_id IS NULL
LIMIT 20
"""

_SELF_PROTESTS = "SELECT incident_id FROM incidents WHERE actor = target LIMIT 20"

_DATED_AFTER_ARTICLE = """
SELECT i.incident_id, i.event_date, i.date_precision, a.published, a.uri
FROM incidents i
JOIN incident_members im USING (incident_id)
JOIN corrected_mentions m USING (mention_id)
JOIN articles a USING (article_id)
WHERE a.published IS NOT NULL AND i.event_date > a.published
LIMIT 20
"""

_CORRECTIONS_FILE_UNUSABLE = "SELECT path, file_error, n_corrections AS kept_in_force, loaded_at FROM corrections_in_force WHERE file_error IS NOT NULL"

_UNMATCHED_CORRECTIONS = "SELECT correction_id, action, problem, detail, article FROM corrections_unmatched ORDER BY correction_id"

# Same threshold as sql/marts/review_queue.sql: below it a mention waits for an analyst.
LOW_CONFIDENCE = 0.7
_UNREVIEWED_LOW_CONFIDENCE = f"""
SELECT incident_id, confidence, evidence, evidence_uri FROM incidents
WHERE confidence < {LOW_CONFIDENCE} AND len(coalesce(correction_ids, []::VARCHAR[])) = 0
ORDER BY confidence, incident_id
"""


def _result(rows, description: str, severity=AssetCheckSeverity.ERROR) -> AssetCheckResult:
    return AssetCheckResult(
        passed=rows.empty,
        severity=severity,
        description=description,
        metadata={"failing_rows": len(rows), "examples": MetadataValue.md(rows.head(20).to_markdown(index=False) if not rows.empty else "_none_")},
    )


@asset_check(asset=AssetKey("articles"), description="Nothing is lost: for every source, inputs = articles + rejected.")
def every_input_is_an_article_or_rejected(warehouse: WarehouseResource) -> AssetCheckResult:
    rows = warehouse.partitions().query_df(_INPUTS_ACCOUNTED)  # runs with the ingest job: its store
    # A source whose inputs were re-listed but not yet re-cleaned is in progress, not broken.
    severity = AssetCheckSeverity.WARN if not rows.empty and rows["cleaning_pending"].all() else AssetCheckSeverity.ERROR
    return _result(rows, "sources whose inputs do not add up to articles + rejected", severity)


@asset_check(asset=incidents, description="Every mention belongs to an article and to an incident.")
def every_mention_has_article_and_incident(warehouse: WarehouseResource) -> AssetCheckResult:
    return _result(warehouse.get().query_df(_ORPHAN_MENTIONS), "mentions without an article or an incident")


@asset_check(asset=incidents, description="No state protests to itself: actor differs from target.")
def actor_differs_from_target(warehouse: WarehouseResource) -> AssetCheckResult:
    return _result(warehouse.get().query_df(_SELF_PROTESTS), "incidents whose actor equals their target")


@asset_check(asset=incidents, description="No incident is dated after an article that reports it.")
def no_incident_after_its_article(warehouse: WarehouseResource) -> AssetCheckResult:
    return _result(warehouse.get().query_df(_DATED_AFTER_ARTICLE), "incidents dated after a reporting article")


@asset_check(asset=incidents, description="The corrections file could be read; otherwise the last good set stayed in force.")
def corrections_file_is_usable(warehouse: WarehouseResource) -> AssetCheckResult:
    return _result(warehouse.get().query_df(_CORRECTIONS_FILE_UNUSABLE),
                   "the corrections file is unusable: fix it (the last good corrections are still applied)")


@asset_check(asset=incidents, description="Every analysts' correction found the mention it is about.")
def every_correction_matches(warehouse: WarehouseResource) -> AssetCheckResult:
    return _result(warehouse.get().query_df(_UNMATCHED_CORRECTIONS),
                   "corrections that changed nothing (table corrections_unmatched): article gone or changed, "
                   "evidence gone, ambiguous, or refused", AssetCheckSeverity.WARN)


@asset_check(asset=review_queue, description="No low-confidence incident in the marts is left unreviewed.")
def no_unreviewed_low_confidence_incidents(warehouse: WarehouseResource) -> AssetCheckResult:
    return _result(warehouse.get().query_df(_UNREVIEWED_LOW_CONFIDENCE),
                   f"incidents with confidence below {LOW_CONFIDENCE} no analyst reviewed (see review_queue)",
                   AssetCheckSeverity.WARN)


ALL_CHECKS = [
    every_input_is_an_article_or_rejected,
    every_mention_has_article_and_incident,
    actor_differs_from_target,
    no_incident_after_its_article,
    corrections_file_is_usable,
    every_correction_matches,
    no_unreviewed_low_confidence_incidents,
]
