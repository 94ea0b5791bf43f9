"""Cross-source assets: incidents merged across articles and sources, and the marts
(SQL files in sql/marts/), all rebuilt whole from the per-source tables."""


import pandas as pd
from dagster import AssetExecutionContext, asset

from assets.extract import event_mentions
from assets.ingest import WAREHOUSE_POOL
from assets.metadata import table_result
from assets.resources import AnalysisSettings, WarehouseResource
from pipeline.incidents import merge_incidents
from pipeline.storage.sqlfiles import load_sql

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
    mentions = store.query_df(MENTIONS_WITH_ARTICLES)
    merged, members = merge_incidents(mentions)
    cochairs = pd.DataFrame({"code": sorted(set(settings.cochairs))})
    store.replace_tables({"incidents": merged, "incident_members": members, "cochairs": cochairs})
    context.log.info("%d mentions merged into %d incidents", len(mentions), len(merged))
    shown = merged[["incident_id", "types", "n_mentions", "n_articles", "n_sources", "cause"]]
    return table_result(shown, mentions=len(mentions))


def _mart(name: str, description: str):
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
        return table_result(frame, sql=f"sql/marts/{name}.sql")

    return _build


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

MART_ASSETS = [protests_per_year, protests_per_cochair]
