"""corrections_sensor: an edited corrections file rebuilds incidents, the marts and the
published copy (marts_job), never the cleaning or extraction of any source."""

from dagster import (
    AssetKey,
    AssetObservation,
    DefaultSensorStatus,
    RunRequest,
    RunsFilter,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from assets.automation import IN_FLIGHT, marts_job
from assets.corrections import corrections_file
from assets.marts import incidents
from assets.resources import CorrectionsResource

# The incidents asset records the hash of the file it read under this metadata key.
SEEN_KEY = "corrections_file_sha256"
# How Dagster reads an observation's data version (what ObserveResult(data_version=...) writes).
DATA_VERSION_TAG = "dagster/data_version"


@sensor(
    job=marts_job,
    minimum_interval_seconds=30,
    default_status=DefaultSensorStatus.RUNNING,
    description="Watches the analysts' corrections file: when it differs from the one the "
    "incidents were built with, observes it and rebuilds incidents, marts and the published copy.",
)
def corrections_sensor(context: SensorEvaluationContext, corrections: CorrectionsResource):
    sha = corrections.sha256()
    latest = context.instance.get_latest_materialization_event(AssetKey(incidents.key.path))
    if latest is None:
        return SkipReason("no incidents yet: the first marts run applies the corrections")
    seen = latest.asset_materialization.metadata.get(SEEN_KEY)
    if seen is not None and seen.value == sha:
        return SkipReason("the incidents already reflect the corrections file")
    if context.instance.get_runs(filters=RunsFilter(job_name=marts_job.name, statuses=IN_FLIGHT), limit=1):
        return SkipReason("a marts run is in flight; the next tick looks again")
    observation = AssetObservation(asset_key=corrections_file.key, tags={DATA_VERSION_TAG: sha},
                                   metadata={"path": corrections.path})
    # Unique per (file state, incidents run): editing the file back to an earlier state still rebuilds.
    return SensorResult(run_requests=[RunRequest(run_key=f"corrections-{sha[:16]}-after-{latest.run_id}")],
                        asset_events=[observation])
