"""Per-source assets: the raw inputs of a source and their clean articles."""

import time

from dagster import AssetExecutionContext, MetadataValue, asset

from assets.metadata import table_result
from assets.partitions import sources_partitions
from assets.resources import SourcesResource, WarehouseResource
from pipeline.parallel import worker_count
from pipeline.progress import Progress
from pipeline.reuse import CleaningMemo
from pipeline.stages import clean_partition, discover_raw, discover_web, fetch_history

WAREHOUSE_POOL = "duckdb_warehouse"


@asset(
    partitions_def=sources_partitions,
    group_name="ingest",
    pool=WAREHOUSE_POOL,
    kinds={"python", "duckdb"},
    description="Every input of one source (a file, a page): its URI, size and content hash. "
    "Table raw_articles; one partition per source in the sources file.",
)
def raw_articles(context: AssetExecutionContext, sources: SourcesResource, warehouse: WarehouseResource):
    spec = sources.spec(context.partition_key)
    store = warehouse.get()
    extra = {}
    if spec.kind == "folder":
        frame = discover_raw(spec)
        store.replace_source_rows(spec.name, {"raw_articles": frame})
    else:
        # Fetching happens between two short warehouse connections, never holding the lock.
        frame, fetch_log, failed_listings = discover_web(spec, fetch_history(store), warehouse.blobs())
        store.replace_source_rows(spec.name, {"raw_articles": frame, "fetch_log": fetch_log})
        outcomes = frame["fetch_outcome"].value_counts().to_dict()
        if failed_listings:
            context.log.warning("source %s: %d feed/sitemap fetch(es) failed; see fetch_log", spec.name, failed_listings)
        extra = {"fetch_outcomes": MetadataValue.json(outcomes), "failed_listings": failed_listings}
    unreadable = int(frame["read_error"].notna().sum())
    context.log.info("source %s: %d inputs (%d unreadable)", spec.name, len(frame), unreadable)
    return table_result(frame.drop(columns=["discovered_at"]), unreadable=unreadable, kind=spec.kind, **extra)


@asset(
    partitions_def=sources_partitions,
    group_name="ingest",
    pool=WAREHOUSE_POOL,
    deps=[raw_articles],
    kinds={"python", "duckdb"},
    description="Clean articles of one source: title, publication date and main text, from HTML "
    "through trafilatura and from plain text through the project's own rules. Inputs that do "
    "not become articles go to the rejected table with a reason. Table articles.",
)
def articles(context: AssetExecutionContext, warehouse: WarehouseResource):
    store = warehouse.get()
    source = context.partition_key
    raw = store.query_df("SELECT * FROM raw_articles WHERE source = ?", [source])
    previous = CleaningMemo(store.query_df("SELECT * FROM articles WHERE source = ?", [source]),
                            store.query_df("SELECT * FROM rejected WHERE source = ?", [source]))
    workers = worker_count()
    progress = Progress(f"source {source}: cleaning", context.log.info)
    result = clean_partition(raw, blobs=warehouse.blobs(), previous=previous, workers=workers, progress=progress)
    cleaned, rejected = result.articles, result.rejected
    clean_s = progress.seconds
    started = time.monotonic()
    store.replace_source_rows(source, {"articles": cleaned, "rejected": rejected})
    write_s = time.monotonic() - started
    reasons = rejected["reason"].value_counts().to_dict() if not rejected.empty else {}
    context.log.info("source %s: %d articles, %d rejected %s; cleaned %d inputs in %.1fs (%.0f/s, %d workers), "
                     "reused %d unchanged", source, len(cleaned), len(rejected), reasons, result.cleaned, clean_s,
                     progress.rate, workers, result.reused)
    shown = cleaned[["title", "published", "format", "n_words", "uri"]]
    return table_result(
        shown,
        inputs=len(raw),
        rejected=len(rejected),
        rejected_reasons=MetadataValue.json(reasons),
        with_publication_date=int(cleaned["published"].notna().sum()),
        cleaned=result.cleaned,
        reused=result.reused,
        workers=workers,
        clean_seconds=round(clean_s, 3),
        write_seconds=round(write_s, 3),
    )
