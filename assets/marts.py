"""Cross-source assets: incidents merged across articles and sources, and the marts
(SQL files in sql/marts/), all rebuilt whole from the per-source tables."""


import pandas as pd
from dagster import AssetExecutionContext, asset

from assets.extract import event_mentions
from assets.ingest import WAREHOUSE_POOL
from assets.metadata import chart, table_result
from assets.resources import AnalysisSettings, WarehouseResource
from pipeline.chart_cache import mart_chart_cached
from pipeline.incidents import merge_incidents

MENTIONS_WITH_ARTICLES = """
SELECT m.*, a.uri, a.text_hash, a.published
FROM mentions m JOIN articles a USING (article_id)
"""


@asset(
    group_name="incidents",
    pool=WAREHOUSE_POOL,
    deps=[event_mentions],
    kinds={"python", "duckdb"},
    description="One row per real-world protest incident (actor, target, date), merged across "
    "articles and sources, with its types and how many mentions, articles and sources report it.",
)
def incidents(context: AssetExecutionContext, warehouse: WarehouseResource, settings: AnalysisSettings):
    store = warehouse.get()
    if warehouse.store == "parquet":  # the per-source runs wrote Parquet: load this snapshot of it
        store.load_partitions(warehouse.partitions().table_files())
    mentions = store.query_df(MENTIONS_WITH_ARTICLES)
    merged, members = merge_incidents(mentions)
    cochairs = pd.DataFrame({"code": sorted(set(settings.cochairs))})
    store.replace_tables({"incidents": merged, "incident_members": members, "cochairs": cochairs})
    context.log.info("%d mentions merged into %d incidents", len(mentions), len(merged))
    shown = merged[["incident_id", "types", "n_mentions", "n_articles", "n_sources", "cause"]]
    return table_result(shown, mentions=len(mentions))


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
        store.run_sql_file(f"marts/{name}")
        frame = store.query_df(f'SELECT * FROM "{name}"')
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

MART_ASSETS = [
    protests_per_year,
    protests_per_cochair,
    protests_per_dyad_year,
    protests_per_month,
    protests_per_type,
    latest_incidents,
    cochair_protests_per_year,
    cochair_protests_per_counterpart,
]
