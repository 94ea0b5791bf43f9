"""Per-source asset: protest event mentions found in the source's articles."""


import time

from dagster import AssetExecutionContext, asset

from assets.ingest import INGEST_POOL, articles
from assets.metadata import table_result
from assets.partitions import sources_partitions
from assets.resources import WarehouseResource
from pipeline.parallel import worker_count
from pipeline.progress import Progress, report
from pipeline.stages import PartitionExtractor

# Only the articles that must be extracted again are read with their text, a batch at a time
# (IN over a list: DuckDB makes it a hash join, unlike list_contains on every row).
_ARTICLES_BY_ID = ("SELECT article_id, source, text, published, title, year_hint FROM articles "
                   "WHERE source = ? AND article_id IN (SELECT unnest(?::VARCHAR[]))")
_MENTIONS_SUMMARY = ("SELECT count(*) AS n, count(DISTINCT article_id) AS articles, "
                     "(SELECT count(*) FROM near_misses WHERE source = $1) AS near_misses FROM mentions WHERE source = $1")
_MENTIONS_PREVIEW = ("SELECT event_type, actor, target, event_date, date_precision, reported_only, sentence "
                     "FROM mentions WHERE source = ? ORDER BY article_id, char_start LIMIT 10")


@asset(
    partitions_def=sources_partitions,
    group_name="extract",
    pool=INGEST_POOL,
    deps=[articles],
    kinds={"python", "duckdb"},
    description="One row per protest incident mentioned in one article of the source: type "
    "(summon, protest_note, protest_statement), actor, target, date and precision, evidence "
    "sentence with offsets, the rule that fired and its confidence. Read through the "
    "event_mentions view, which adds each mention's incident_id. Sentences naming a state where a "
    "trigger came to nothing go to near_misses (the review queue's possible misses).",
)
def event_mentions(context: AssetExecutionContext, warehouse: WarehouseResource):
    store = warehouse.partitions()
    source = context.partition_key
    keys = store.query_df("SELECT article_id, source, text_hash FROM articles WHERE source = ? ORDER BY article_id",
                          [source])
    workers = worker_count()
    progress = Progress(f"source {source}: extraction", context.log.info)
    extractor = PartitionExtractor(
        keys,
        load_articles=lambda ids: store.query_df(_ARTICLES_BY_ID, [source, ids]),
        previous_log=store.query_df("SELECT * FROM extractions WHERE source = ?", [source]),
        workers=workers,
        progress=progress,
    )
    started = time.monotonic()
    failed = []
    with store.replacing(source, ["mentions", "near_misses", "extractions"]) as staged:
        for batch in extractor.batches():
            staged.append("mentions", batch.mentions)
            staged.append("near_misses", batch.near_misses)
            staged.append("extractions", batch.log)
            failed.extend(batch.log[batch.log["error"].notna()].itertuples(index=False))
        for table in ("mentions", "near_misses", "extractions"):
            staged.keep(table, "article_id", extractor.kept_ids)
    extract_s = progress.seconds if extractor.extracted else 0.0
    write_s = max(time.monotonic() - started - extract_s, 0.0)
    for row in failed:
        report(f"extraction failed on article {row.article_id} (retried next run): {row.error}", context.log.warning)
    summary = store.query_df(_MENTIONS_SUMMARY, [source]).iloc[0]
    n_mentions, relevant, near_misses = int(summary["n"]), int(summary["articles"]), int(summary["near_misses"])
    context.log.info("source %s: %d mentions in %d of %d articles; extracted %d articles in %.1fs, reused %d unchanged",
                     source, n_mentions, relevant, len(keys), extractor.extracted, extract_s, extractor.reused)
    return table_result(store.query_df(_MENTIONS_PREVIEW, [source]), row_count=n_mentions, articles=len(keys),
                        relevant_articles=relevant, near_misses=near_misses, extracted=extractor.extracted, extraction_failures=len(failed),
                        reused=extractor.reused, workers=workers, extract_seconds=round(extract_s, 3),
                        write_seconds=round(write_s, 3))
