"""Per-source asset: protest event mentions found in the source's articles."""


import time

from dagster import AssetExecutionContext, asset

from assets.ingest import WAREHOUSE_POOL, articles
from assets.metadata import table_result
from assets.partitions import sources_partitions
from assets.resources import WarehouseResource
from pipeline.parallel import worker_count
from pipeline.progress import Progress
from pipeline.stages import extract_partition

# Only the articles that must be extracted again are read with their text.
_ARTICLES_BY_ID = "SELECT * FROM articles WHERE source = ? AND list_contains(?, article_id)"


@asset(
    partitions_def=sources_partitions,
    group_name="extract",
    pool=WAREHOUSE_POOL,
    deps=[articles],
    kinds={"python", "duckdb"},
    description="One row per protest incident mentioned in one article of the source: type "
    "(summon, protest_note, protest_statement), actor, target, date and precision, evidence "
    "sentence with offsets, the rule that fired and its confidence. Read through the "
    "event_mentions view, which adds each mention's incident_id.",
)
def event_mentions(context: AssetExecutionContext, warehouse: WarehouseResource):
    store = warehouse.get()
    source = context.partition_key
    keys = store.query_df("SELECT article_id, source, text_hash FROM articles WHERE source = ?", [source])
    workers = worker_count()
    progress = Progress(f"source {source}: extraction", context.log.info)
    result = extract_partition(
        keys,
        load_articles=lambda ids: store.query_df(_ARTICLES_BY_ID, [source, ids]),
        previous_log=store.query_df("SELECT * FROM extractions WHERE source = ?", [source]),
        previous_mentions=store.query_df("SELECT * FROM mentions WHERE source = ?", [source]),
        workers=workers,
        progress=progress,
    )
    mentions = result.mentions
    extract_s = progress.seconds if result.extracted else 0.0
    started = time.monotonic()
    store.replace_source_rows(source, {"mentions": mentions, "extractions": result.log})
    failed = result.log[result.log["error"].notna()]
    for row in failed.itertuples(index=False):
        context.log.warning("extraction failed on article %s (retried next run): %s", row.article_id, row.error)
    write_s = time.monotonic() - started
    relevant = mentions["article_id"].nunique()
    context.log.info("source %s: %d mentions in %d of %d articles; extracted %d articles in %.1fs, reused %d unchanged",
                     source, len(mentions), relevant, len(keys), result.extracted, extract_s, result.reused)
    shown = mentions[["event_type", "actor", "target", "event_date", "date_precision", "reported_only", "sentence"]]
    return table_result(shown, articles=len(keys), relevant_articles=int(relevant), extracted=result.extracted,
                        extraction_failures=len(failed),
                        reused=result.reused, workers=workers, extract_seconds=round(extract_s, 3),
                        write_seconds=round(write_s, 3))
