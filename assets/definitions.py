"""The code location: everything Dagster loads (workspace.yaml points here)."""

from dagster import Definitions

from assets.automation import daily_schedule, ingest_job, marts_after_ingest_sensor, marts_job, sources_sensor
from assets.checks import ALL_CHECKS
from assets.corrections import corrections_file
from assets.corrections_sensor import corrections_sensor
from assets.executors import executor_from_env
from assets.extract import event_mentions
from assets.ingest import ingest_source
from assets.marts import MART_ASSETS, incidents
from assets.publish import published_warehouse
from assets.resources import AnalysisSettings, CorrectionsResource, SourcesResource, WarehouseResource

ALL_ASSETS = [ingest_source, event_mentions, corrections_file, incidents, *MART_ASSETS, published_warehouse]


def build_definitions(warehouse_path: str | None = None, sources_path: str | None = None,
                      cochairs: list[str] | None = None, store: str | None = None,
                      corrections_path: str | None = None) -> Definitions:
    """`store`: where per-source runs write, 'duckdb' or 'parquet' (default: $DEMARCHE_STORE, else duckdb);
    `corrections_path`: the analysts' corrections file (default: $DEMARCHE_CORRECTIONS, else data/corrections.yaml)."""
    options = {"path": warehouse_path} if warehouse_path else {}
    if store:
        options["store"] = store
    warehouse = WarehouseResource(**options)
    sources = SourcesResource(path=sources_path) if sources_path else SourcesResource()
    settings = AnalysisSettings(cochairs=cochairs) if cochairs else AnalysisSettings()
    corrections = CorrectionsResource(path=corrections_path) if corrections_path else CorrectionsResource()
    return Definitions(
        assets=ALL_ASSETS,
        asset_checks=ALL_CHECKS,
        jobs=[ingest_job, marts_job],
        schedules=[daily_schedule],
        sensors=[sources_sensor, marts_after_ingest_sensor, corrections_sensor],
        resources={"warehouse": warehouse, "sources": sources, "settings": settings, "corrections": corrections},
        executor=executor_from_env(),
    )


defs = build_definitions()
