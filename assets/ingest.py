"""Per-source assets: the raw inputs of a source and their clean articles."""

import time
from collections import Counter

from dagster import AssetExecutionContext, MetadataValue, asset

from assets.metadata import table_result
from assets.partitions import sources_partitions
from assets.resources import SourcesResource, WarehouseResource, store_kind
from pipeline.parallel import worker_count
from pipeline.progress import Progress
from pipeline.reuse import MEMO_ARTICLE_COLUMNS, CleaningMemo
from pipeline.stages import PartitionCleaner, discover_raw, discover_web, fetch_history

# Every step that writes the DuckDB file runs in this Dagster pool (limit 1, dagster_home/dagster.yaml).
WAREHOUSE_POOL = "duckdb_warehouse"
# Per-source steps write per-partition Parquet files when DEMARCHE_STORE=parquet (read when
# the code location loads): then they need no pool and run in any number at once.
INGEST_POOL = WAREHOUSE_POOL if store_kind() == "duckdb" else None
# What the last discovery recorded of each readable file (to skip re-hashing unchanged ones).
_KNOWN_FILES = ("SELECT uri, content_hash, n_bytes, file_size, file_mtime_ns FROM raw_articles "
                "WHERE source = ? AND content_hash IS NOT NULL")
# What the cleaning memo needs of earlier articles (never their texts).
_MEMO_ARTICLES = f"SELECT {', '.join(MEMO_ARTICLE_COLUMNS)} FROM articles WHERE source = ?"
_ARTICLES_SUMMARY = "SELECT count(*) AS n, count(published) AS dated FROM articles WHERE source = ?"
_ARTICLES_PREVIEW = ("SELECT title, published, format, n_words, uri FROM articles WHERE source = ? "
                     "ORDER BY uri LIMIT 10")


@asset(
    partitions_def=sources_partitions,
    group_name="ingest",
    pool=INGEST_POOL,
    kinds={"python", "duckdb"},
    description="Every input of one source (a file, a page): its URI, size and content hash. "
    "Table raw_articles; one partition per source in the sources file.",
)
def raw_articles(context: AssetExecutionContext, sources: SourcesResource, warehouse: WarehouseResource):
    spec = sources.spec(context.partition_key)
    store = warehouse.partitions()
    extra = {}
    if spec.kind == "folder":
        frame = discover_raw(spec, store.query_df(_KNOWN_FILES, [spec.name]), worker_count())
        store.replace_source_rows(spec.name, {"raw_articles": frame})
    else:
        # Fetching happens between two short warehouse connections, never holding the lock.
        frame, fetch_log, failed_listings = discover_web(spec, fetch_history(store), warehouse.blobs(), store,
                                                         log=context.log.info)
        store.replace_source_rows(spec.name, {"raw_articles": frame, "fetch_log": fetch_log})
        outcomes = frame["fetch_outcome"].value_counts().to_dict()
        if failed_listings:
            context.log.warning("source %s: %d feed/sitemap fetch(es) failed or were cut short; see fetch_log", spec.name, failed_listings)
        extra = {"fetch_outcomes": MetadataValue.json(outcomes), "failed_listings": failed_listings}
    unreadable = int(frame["read_error"].notna().sum())
    context.log.info("source %s: %d inputs (%d unreadable)", spec.name, len(frame), unreadable)
    return table_result(frame.drop(columns=["discovered_at", "file_size", "file_mtime_ns"]), unreadable=unreadable, kind=spec.kind, **extra)


@asset(
    partitions_def=sources_partitions,
    group_name="ingest",
    pool=INGEST_POOL,
    deps=[raw_articles],
    kinds={"python", "duckdb"},
    description="Clean articles of one source: title, publication date and main text, from HTML "
    "through trafilatura and from plain text through the project's own rules. Inputs that do "
    "not become articles go to the rejected table with a reason. Table articles.",
)
def articles(context: AssetExecutionContext, warehouse: WarehouseResource):
    store = warehouse.partitions()
    source = context.partition_key
    raw = store.query_df("SELECT * FROM raw_articles WHERE source = ?", [source])
    previous = CleaningMemo(store.query_df(_MEMO_ARTICLES, [source]),
                            store.query_df("SELECT * FROM rejected WHERE source = ?", [source]))
    workers = worker_count()
    progress = Progress(f"source {source}: cleaning", context.log.info)
    cleaner = PartitionCleaner(raw, blobs=warehouse.blobs(), previous=previous, workers=workers, progress=progress)
    started = time.monotonic()
    reasons: Counter = Counter()
    # Batches go to storage as they come: a source's texts are never all in memory.
    with store.replacing(source, ["articles", "rejected"]) as staged:
        kept = []
        for batch in cleaner.batches():
            staged.append("articles", batch.articles)
            staged.append("rejected", batch.rejected)
            reasons.update(batch.rejected["reason"])
            kept.extend(batch.kept)
        staged.keep("articles", "uri", kept)
    clean_s = progress.seconds
    write_s = time.monotonic() - started - clean_s
    summary = store.query_df(_ARTICLES_SUMMARY, [source]).iloc[0]
    n_articles, n_rejected = int(summary["n"]), sum(reasons.values())
    context.log.info("source %s: %d articles, %d rejected %s; cleaned %d inputs in %.1fs (%.0f/s, %d workers), "
                     "reused %d unchanged", source, n_articles, n_rejected, dict(reasons), cleaner.cleaned, clean_s,
                     progress.rate, workers, cleaner.reused)
    return table_result(
        store.query_df(_ARTICLES_PREVIEW, [source]),
        row_count=n_articles,
        inputs=len(raw),
        rejected=n_rejected,
        rejected_reasons=MetadataValue.json(dict(reasons)),
        with_publication_date=int(summary["dated"]),
        cleaned=cleaner.cleaned,
        reused=cleaner.reused,
        workers=workers,
        clean_seconds=round(clean_s, 3),
        write_seconds=round(max(write_s, 0.0), 3),
    )
