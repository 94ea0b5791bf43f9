"""The marts sensor evaluated as the daemon evaluates it, against a real instance after real
runs (tests/test_unattended.py runs the whole cycle under `dagster dev`)."""

from __future__ import annotations

from dagster import RunRequest, SkipReason, build_sensor_context

from assets.automation import marts_after_ingest_sensor
from assets.definitions import build_definitions
from assets.partitions import sources_partitions


def _tick(instance):
    return marts_after_ingest_sensor(build_sensor_context(instance=instance))


def test_the_marts_sensor_requests_one_marts_run_after_new_mentions(tmp_path, sources_file, instance):
    defs = build_definitions(str(tmp_path / "wh.duckdb"), str(sources_file))
    assert isinstance(_tick(instance), SkipReason)  # nothing materialized yet
    instance.add_dynamic_partitions(sources_partitions.name, ["wire"])
    assert defs.resolve_job_def("ingest_job").execute_in_process(partition_key="wire", instance=instance).success

    request = _tick(instance)
    assert isinstance(request, RunRequest) and request.run_key.startswith("marts-after-")
    assert _tick(instance).run_key == request.run_key  # the same mentions: the same (deduplicated) request

    assert defs.resolve_job_def("marts_job").execute_in_process(instance=instance).success
    assert "up to date" in _tick(instance).skip_message
