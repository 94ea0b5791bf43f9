"""Jobs, the daily schedule and the sensors.

- ingest_job: raw_articles -> articles -> event_mentions for one source partition.
- marts_job: incidents and the marts, from every source's mentions, then the published
  read-only copy of the warehouse (published_warehouse).
- daily_schedule: one ingest run per source (a plain schedule over a dynamically
  partitioned job fails at every tick, so it yields a RunRequest per partition key).
- sources_sensor: keeps the partitions in sync with the sources file and backfills a newly
  added source alone. Removed sources keep their partition and data until dropped by hand.
- marts_after_ingest_sensor: once no ingest run is in flight and some source has newer
  mentions than the incidents, refreshes the marts once (not once per source).

Both sensors tick every 30 s ($DEMARCHE_SENSOR_INTERVAL_S, read when the code location loads;
the daemon tests set a second or two).
"""

import os


from dagster import (
    AssetKey,
    AssetSelection,
    DagsterInstance,
    DagsterRunStatus,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    EventLogRecord,
    RunRequest,
    RunsFilter,
    ScheduleEvaluationContext,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    define_asset_job,
    schedule,
    sensor,
)

from assets.extract import event_mentions
from assets.ingest import articles, raw_articles
from assets.marts import MART_ASSETS, incidents
from assets.partitions import sources_partitions
from assets.publish import published_warehouse
from assets.resources import SourcesResource
from pipeline.sources_file import SourcesFileError

ingest_job = define_asset_job(
    "ingest_job",
    selection=AssetSelection.assets(raw_articles, articles, event_mentions),
    partitions_def=sources_partitions,
    description="Read, clean and extract one source (one partition).",
)
marts_job = define_asset_job(
    "marts_job",
    selection=AssetSelection.assets(incidents, *MART_ASSETS, published_warehouse),
    description="Merge mentions into incidents, rebuild the marts, then publish the analysts' read-only copy.",
)

SENSOR_INTERVAL_ENV = "DEMARCHE_SENSOR_INTERVAL_S"
SENSOR_INTERVAL_S = int(os.environ.get(SENSOR_INTERVAL_ENV, "30"))

IN_FLIGHT = [DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.STARTED]


@schedule(
    job=ingest_job,
    cron_schedule="0 5 * * *",
    default_status=DefaultScheduleStatus.RUNNING,
    description="Every day at 05:00 UTC: re-read every source (one run per source partition); "
    "the marts follow through marts_after_ingest_sensor once all of them have finished.",
)
def daily_schedule(context: ScheduleEvaluationContext):
    keys = sorted(context.instance.get_dynamic_partitions(sources_partitions.name))
    if not keys:
        yield SkipReason("no source partitions registered yet (the sources sensor adds them)")
        return
    stamp = context.scheduled_execution_time.strftime("%Y-%m-%d")
    for key in keys:
        yield RunRequest(run_key=f"daily-{stamp}-{key}", partition_key=key)


@sensor(
    job=ingest_job,
    minimum_interval_seconds=SENSOR_INTERVAL_S,
    default_status=DefaultSensorStatus.RUNNING,
    description="Watches the sources file: registers a partition for each new source and "
    "launches its backfill alone; existing partitions are untouched.",
)
def sources_sensor(context: SensorEvaluationContext, sources: SourcesResource):
    try:
        specs = sources.specs()
    except SourcesFileError as exc:
        return SkipReason(f"sources file unusable, nothing changed: {exc}")
    known = set(context.instance.get_dynamic_partitions(sources_partitions.name))
    new = [spec.name for spec in specs if spec.name not in known]
    if not new:
        return SkipReason(f"no new source ({len(known)} registered)")
    return SensorResult(
        run_requests=[RunRequest(run_key=f"new-source-{name}", partition_key=name) for name in new],
        dynamic_partitions_requests=[sources_partitions.build_add_request(new)],
    )


@sensor(
    job=marts_job,
    minimum_interval_seconds=SENSOR_INTERVAL_S,
    default_status=DefaultSensorStatus.RUNNING,
    description="Refreshes incidents, marts and the analysts' published copy once after source "
    "runs finish, when some source's mentions are newer than the incidents.",
)
def marts_after_ingest_sensor(context: SensorEvaluationContext):
    instance = context.instance
    if instance.get_runs(filters=RunsFilter(job_name=ingest_job.name, statuses=IN_FLIGHT), limit=1):
        return SkipReason("source runs still in flight")
    if instance.get_runs(filters=RunsFilter(job_name=marts_job.name, statuses=IN_FLIGHT), limit=1):
        return SkipReason("a marts run is already in flight")
    latest_mentions = _latest_materialization(instance, event_mentions.key)
    if latest_mentions is None:
        return SkipReason("no mentions materialized yet")
    latest_incidents = _latest_materialization(instance, incidents.key)
    if latest_incidents is not None and latest_incidents.storage_id > latest_mentions.storage_id:
        return SkipReason("incidents are up to date")
    # One marts run per new mentions materialization: a failed marts run is not retried until
    # some source's mentions change again (or by hand), so a broken mart cannot loop.
    return RunRequest(run_key=f"marts-after-{latest_mentions.storage_id}")


def _latest_materialization(instance: DagsterInstance, key: AssetKey) -> EventLogRecord | None:
    """The newest materialization record of an asset (any partition); records, unlike the
    bare log entries, carry the storage id that orders events and names the run request."""
    records = instance.fetch_materializations(key, limit=1).records
    return records[0] if records else None
