"""Per-source assets: the raw inputs of a source and their clean articles.

Both are made by one step and land in one commit (raw_articles, fetch_log, articles and
rejected together): a failure anywhere (a full disk while staging the articles) leaves the
source exactly as the previous run left it, never new inputs without their articles."""

import time
from collections import Counter

from dagster import AssetExecutionContext, AssetSpec, MaterializeResult, MetadataValue, multi_asset

from assets.metadata import table_result
from assets.partitions import sources_partitions
from assets.resources import SourcesResource, WarehouseResource, store_kind
from pipeline.parallel import worker_count
from pipeline.progress import Progress, report
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
_RAW_DESCRIPTION = ("Every input of one source (a file, a page): its URI, size and content hash. "
                    "Table raw_articles; one partition per source in the sources file.")
_ARTICLES_DESCRIPTION = (
    "Clean articles of one source: title, publication date and main text, from HTML through trafilatura "
    "and from plain text through the project's own rules. Inputs that do not become articles go to the "
    "rejected table with a reason. Table articles.")



@multi_asset(
    name="ingest_source",
    specs=[AssetSpec("raw_articles", description=_RAW_DESCRIPTION, group_name="ingest", kinds={"python", "duckdb"}),
           AssetSpec("articles", description=_ARTICLES_DESCRIPTION, group_name="ingest", kinds={"python", "duckdb"},
                     deps=["raw_articles"])],
    partitions_def=sources_partitions,
    pool=INGEST_POOL,
)
def ingest_source(context: AssetExecutionContext, sources: SourcesResource, warehouse: WarehouseResource):
    spec = sources.spec(context.partition_key)
    store = warehouse.partitions()
    tables = ["raw_articles", "articles", "rejected"] + ([] if spec.kind == "folder" else ["fetch_log"])
    with store.replacing(spec.name, tables) as staged:  # one commit at the end, or none
        raw, raw_meta = _discover(context, spec, store, warehouse, staged)
        articles_meta = _clean(context, spec.name, raw, store, warehouse, staged)
    yield MaterializeResult(asset_key="raw_articles", metadata=raw_meta)
    summary = store.query_df(_ARTICLES_SUMMARY, [spec.name]).iloc[0]
    yield MaterializeResult(asset_key="articles", metadata={
        **table_result(store.query_df(_ARTICLES_PREVIEW, [spec.name]), row_count=int(summary["n"])).metadata,
        **articles_meta, "with_publication_date": int(summary["dated"])})


def _discover(context, spec, store, warehouse, staged) -> tuple:
    """Stage the source's inputs (and, for web sources, its fetch_log) -> (raw rows, metadata)."""
    extra = {}
    if spec.kind == "folder":
        frame = discover_raw(spec, store.query_df(_KNOWN_FILES, [spec.name]), worker_count())
    else:
        # Fetching happens between short warehouse connections, never holding the lock.
        frame, fetch_log, failed_listings = discover_web(spec, fetch_history(store), warehouse.blobs(), store,
                                                         log=context.log.info)
        staged.append("fetch_log", fetch_log)
        outcomes = frame["fetch_outcome"].value_counts().to_dict()
        if failed_listings:
            report(f"source {spec.name}: {failed_listings} feed/sitemap fetch(es) failed or were cut short; "
                   "see fetch_log", context.log.warning)
        extra = {"fetch_outcomes": MetadataValue.json(outcomes), "failed_listings": failed_listings}
    staged.append("raw_articles", frame)
    unreadable = int(frame["read_error"].notna().sum())
    context.log.info("source %s: %d inputs (%d unreadable)", spec.name, len(frame), unreadable)
    shown = frame.drop(columns=["discovered_at", "file_size", "file_mtime_ns"])
    return frame, table_result(shown, unreadable=unreadable, kind=spec.kind, **extra).metadata


def _clean(context, source: str, raw, store, warehouse, staged) -> dict:
    """Stage the source's articles and rejections -> metadata."""
    previous = CleaningMemo(store.query_df(_MEMO_ARTICLES, [source]),
                            store.query_df("SELECT * FROM rejected WHERE source = ?", [source]))
    workers = worker_count()
    progress = Progress(f"source {source}: cleaning", context.log.info)
    cleaner = PartitionCleaner(raw, blobs=warehouse.blobs(), previous=previous, workers=workers, progress=progress)
    started = time.monotonic()
    reasons: Counter = Counter()
    kept = []
    # Batches go to the staged file as they come: a source's texts are never all in memory.
    for batch in cleaner.batches():
        staged.append("articles", batch.articles)
        staged.append("rejected", batch.rejected)
        reasons.update(batch.rejected["reason"])
        kept.extend(batch.kept)
    staged.keep("articles", "uri", kept)
    clean_s = progress.seconds
    write_s = time.monotonic() - started - clean_s
    n_rejected = sum(reasons.values())
    context.log.info("source %s: %d articles, %d rejected %s; cleaned %d inputs in %.1fs (%.0f/s, %d workers), "
                     "reused %d unchanged", source, len(raw) - n_rejected, n_rejected, dict(reasons), cleaner.cleaned,
                     clean_s, progress.rate, workers, cleaner.reused)
    return {"inputs": len(raw), "rejected": n_rejected, "rejected_reasons": MetadataValue.json(dict(reasons)),
            "cleaned": cleaner.cleaned, "reused": cleaner.reused, "workers": workers,
            "clean_seconds": round(clean_s, 3), "write_seconds": round(max(write_s, 0.0), 3)}


# The two assets this step makes, by the names the jobs, checks and sensors select them by.
raw_articles = articles = ingest_source
