"""Per-source asset: protest event mentions found in the source's articles."""


from dagster import AssetExecutionContext, asset

from assets.ingest import WAREHOUSE_POOL, articles
from assets.metadata import table_result
from assets.partitions import sources_partitions
from assets.resources import WarehouseResource
from pipeline.stages import extract_articles


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
    arts = store.query_df("SELECT * FROM articles WHERE source = ?", [source])
    mentions = extract_articles(arts)
    store.replace_source_rows(source, {"mentions": mentions})
    relevant = mentions["article_id"].nunique()
    context.log.info("source %s: %d mentions in %d of %d articles", source, len(mentions), relevant, len(arts))
    shown = mentions[["event_type", "actor", "target", "event_date", "date_precision", "reported_only", "sentence"]]
    return table_result(shown, articles=len(arts), relevant_articles=int(relevant))
