"""Cross-source assets: incidents merged across articles and sources, and the marts
(SQL files in sql/marts/), all rebuilt whole from the per-source tables."""


import pandas as pd
from dagster import AssetExecutionContext, asset

from assets.corrections import apply_corrections, corrections_file, corrections_metadata, corrections_tables
from assets.extract import event_mentions
from assets.ingest import WAREHOUSE_POOL
from assets.metadata import chart, table_result
from assets.resources import AnalysisSettings, CorrectionsResource, WarehouseResource
from pipeline.chart_cache import mart_chart_cached

MENTIONS_WITH_ARTICLES = """
SELECT m.*, a.uri, a.text_hash, a.published
FROM mentions m JOIN articles a USING (article_id)
"""


@asset(
    group_name="incidents",
    pool=WAREHOUSE_POOL,
    deps=[event_mentions, corrections_file],
    kinds={"python", "duckdb"},
    description="One row per real-world protest incident (actor, target, date), merged across "
    "articles and sources after the analysts' corrections, with its types and how many mentions, "
    "articles and sources report it.",
)
def incidents(context: AssetExecutionContext, warehouse: WarehouseResource, settings: AnalysisSettings,
              corrections: CorrectionsResource):
    store = warehouse.get()
    if warehouse.store == "parquet":  # the per-source runs wrote Parquet: load this snapshot of it
        store.load_partitions(warehouse.partitions().table_files())
    mentions = store.query_df(MENTIONS_WITH_ARTICLES)
    record, loaded = apply_corrections(store, mentions, corrections)
    if loaded.error:
        context.log.error("%s; the last good corrections stay in force", loaded.error)
    cochairs = pd.DataFrame({"code": sorted(set(settings.cochairs))})
    store.replace_tables({"incidents": record.incidents, "incident_members": record.members, "cochairs": cochairs,
                          **corrections_tables(record, loaded, corrections.path)})
    merged = record.incidents
    context.log.info("%d mentions merged into %d incidents; %d rows corrected, %d corrections unmatched",
                     len(mentions), len(merged), record.corrected_rows, len(record.unmatched))
    shown = merged[["incident_id", "types", "n_mentions", "n_articles", "n_sources", "cause", "correction_ids"]]
    return table_result(shown, mentions=len(mentions), **corrections_metadata(record, loaded))


def _mart(name: str, description: str):
    """An asset that runs sql/marts/<name>.sql and shows the result and its chart."""
    @asset(
        name=name,
        group_name="marts",
        pool=WAREHOUSE_POOL,
        deps=[incidents],
        kinds={"sql", "duckdb"},
        description=description,
    )
    def _build(context: AssetExecutionContext, warehouse: WarehouseResource):
        store = warehouse.get()
        frame = store.build_table(f"marts/{name}", name)
        png = mart_chart_cached(name, frame, warehouse.chart_cache_dir())
        return table_result(frame, sql=f"sql/marts/{name}.sql", chart=chart(png, name))

    return _build


# Descriptions: one sentence on what a row is; docs/data_dictionary.md has every column.
protests_per_year = _mart(
    "protests_per_year",
    "Protest incidents per calendar year of the incident, with how many involved a summons, a "
    "note or a statement (an incident with several types counts once in `incidents`).",
)
protests_per_cochair = _mart(
    "protests_per_cochair",
    "Protest incidents per year by (role 'actor') and against (role 'target') each OSCE Minsk "
    "Group co-chair (RUS, FRA, USA by default; see AnalysisSettings.cochairs).",
)
protests_per_dyad_year = _mart(
    "protests_per_dyad_year",
    "Protest incidents per dyad (actor protested to target, directed) and calendar year.",
)
protests_per_month = _mart(
    "protests_per_month",
    "Protest incidents per calendar month, every month from the first to the last (incidents "
    "dated only to the year are left out).",
)
protests_per_type = _mart(
    "protests_per_type",
    "Protest incidents per year and event type; an incident with several types counts once "
    "under each of them.",
)
latest_incidents = _mart(
    "latest_incidents",
    "The 50 most recent incidents by date, with their evidence sentence, its article and the "
    "links of every article reporting them.",
)
cochair_protests_per_year = _mart(
    "cochair_protests_per_year",
    "Per year and co-chair, both directions side by side: incidents in which the co-chair "
    "protested and in which it was protested against.",
)
cochair_protests_per_counterpart = _mart(
    "cochair_protests_per_counterpart",
    "Per co-chair, counterpart state and year, both directions: protests by the co-chair to "
    "the counterpart and by the counterpart to the co-chair.",
)
review_queue = _mart(
    "review_queue",
    "What most needs an analyst's eye, most urgent first: unmatched corrections, low-confidence "
    "mentions, possible misses (sentences where a trigger gave no incident), incidents whose "
    "articles disagree on the date or the target, single-article incidents. Decide with "
    "`demarche review`.",
)

MART_ASSETS = [
    protests_per_year,
    protests_per_cochair,
    protests_per_dyad_year,
    protests_per_month,
    protests_per_type,
    latest_incidents,
    cochair_protests_per_year,
    cochair_protests_per_counterpart,
    review_queue,
]
