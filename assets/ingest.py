"""Per-source assets: the raw inputs of a source and their clean articles."""


from dagster import AssetExecutionContext, MetadataValue, asset

from assets.metadata import table_result
from assets.partitions import sources_partitions
from assets.resources import SourcesResource, WarehouseResource
from pipeline.stages import clean_raw, discover_raw, discover_web, fetch_history

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
    cleaned, rejected = clean_raw(raw, blobs=warehouse.blobs())
    store.replace_source_rows(source, {"articles": cleaned, "rejected": rejected})
    reasons = rejected["reason"].value_counts().to_dict() if not rejected.empty else {}
    context.log.info("source %s: %d articles, %d rejected %s", source, len(cleaned), len(rejected), reasons)
    shown = cleaned[["title", "published", "format", "n_words", "uri"]]
    return table_result(
        shown,
        inputs=len(raw),
        rejected=len(rejected),
        rejected_reasons=MetadataValue.json(reasons),
        with_publication_date=int(cleaned["published"].notna().sum()),
    )
