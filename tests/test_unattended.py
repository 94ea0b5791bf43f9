"""Unattended operation under a real `dagster dev` (webserver, daemon, code server, run workers
launched by the daemon with the multiprocess executor and the `duckdb_warehouse` pool), with
the shipped instance settings (dagster_home/dagster.yaml) in a temporary DAGSTER_HOME:

1. the sources sensor registers the first source and launches its run; while the run cleans,
   holding the pool's only slot, `dagster dev` and all its processes are killed with -9 (a
   power cut, the OOM killer), and `dagster dev` is started again on the same DAGSTER_HOME;
2. a source added to the sources file is registered and run alone, and completes: run
   monitoring found the dead run's processes gone (assets/run_health.py), marked it failed and
   gave its slot back; the staging it left is removed; once the new source's run finishes,
   exactly one marts run follows and publishes the analysts' copy;
3. a schedule tick launches one run per source, then exactly one marts run, and the published
   copy changes (the first source is in it now);
4. a second tick with nothing new launches the same runs and changes no table.

The sensors tick every second here (DEMARCHE_SENSOR_INTERVAL_S); everything else is shipped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus, RunsFilter

from pipeline.storage.faults import FAULT_MARKER_ENV, FAULT_PAUSE_ENV
from tests.conftest import write_corpus, write_sources
from tests.dagster_dev import REPO, DagsterDev

SAMPLES = REPO / "data" / "samples"
SECOND_SOURCE_FILES = ["a05_estonia_summons_russian_envoy.txt", "b03_moscow_summons_us_ambassador_huntsman.txt"]
INGEST, MARTS = "ingest_job", "marts_job"


def _published_tables(path: Path) -> dict[str, list]:
    """Every table and view of the published copy, rows sorted, without timestamps of when
    rows were written (a re-run writes the same rows at another time)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [row[0] for row in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1").fetchall()]
        snapshot = {}
        for name in names:
            columns = [c for c in con.execute(f'SELECT * FROM "{name}" LIMIT 0').df().columns
                       if not c.endswith("_at") and c not in ("file_mtime_ns",)]
            quoted = ", ".join(f'"{c}"' for c in columns)
            snapshot[name] = con.execute(f'SELECT {quoted} FROM "{name}" ORDER BY ALL').fetchall()
        return snapshot
    finally:
        con.close()


def _sources_in(path: Path) -> set[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {row[0] for row in con.execute("SELECT DISTINCT source FROM articles").fetchall()}
    finally:
        con.close()


class Cycle:
    """What the test watches: runs per job and partition, through the daemon's instance."""

    def __init__(self, dev: DagsterDev):
        self.dev = dev

    def runs(self, job: str, partition: str | None = None) -> list:
        tags = {"dagster/partition": partition} if partition else None
        return list(reversed(self.dev.instance.get_runs(filters=RunsFilter(job_name=job, tags=tags))))

    def finished(self, run_ids: list[str]) -> list:
        runs = [self.dev.instance.get_run_by_id(run_id) for run_id in run_ids]
        return runs if all(run.is_finished for run in runs) else []

    def wait_finished(self, run_ids: list[str], what: str) -> list:
        runs = self.dev.wait_for(lambda: self.finished(run_ids), what)
        failed = [run.run_id for run in runs if run.status != DagsterRunStatus.SUCCESS]
        assert not failed, f"{what}: failed runs {failed}:\n{self.dev.log_tail()}"
        return runs

    def started_after(self, run, earlier: list) -> bool:
        """Did `run` start only once every run of `earlier` had ended?"""
        records = {r.dagster_run.run_id: r for r in self.dev.instance.get_run_records(
            filters=RunsFilter(run_ids=[run.run_id, *(e.run_id for e in earlier)]))}
        return records[run.run_id].create_timestamp.timestamp() >= max(records[e.run_id].end_time for e in earlier)

    def marts_after(self, known: int) -> list:
        """Waits for the marts run that follows, then for two more marts sensor ticks, so that
        a second marts run (there must be none) would have been launched by then."""
        runs = self.dev.wait_for(lambda: self.runs(MARTS)[known:] or None, "marts run after the source runs")
        self.wait_finished([r.run_id for r in runs], "the marts run")
        ticks_before = len(self.dev.sensor_ticks("marts_after_ingest_sensor"))
        self.dev.wait_for(lambda: len(self.dev.sensor_ticks("marts_after_ingest_sensor")) >= ticks_before + 2,
                          "two more marts sensor ticks")
        return self.runs(MARTS)[known:]


@pytest.fixture
def dagster_dev(tmp_path):
    marker = tmp_path / "paused"
    dev = DagsterDev(tmp_path / "dagster_home", {
        "DEMARCHE_DB": str(tmp_path / "warehouse.duckdb"),
        "DEMARCHE_SOURCES": str(tmp_path / "sources.yaml"),
        "DEMARCHE_SENSOR_INTERVAL_S": "1",
        "DEMARCHE_WORKERS": "1",
        # The first run to clean pauses there once, so that the test can kill it (tests/faults).
        FAULT_PAUSE_ENV: "staged:articles", FAULT_MARKER_ENV: str(marker),
    })
    yield dev
    dev.stop()


def test_the_daemon_keeps_the_marts_fresh_and_a_killed_run_never_blocks_the_next(tmp_path, dagster_dev):
    dev, cycle = dagster_dev, Cycle(dagster_dev)
    first, second = tmp_path / "first", tmp_path / "second"
    write_corpus(first)
    second.mkdir()
    for name in SECOND_SOURCE_FILES:
        shutil.copy(SAMPLES / name, second / name)
    sources = tmp_path / "sources.yaml"
    write_sources(sources, [{"name": "first", "kind": "folder", "path": str(first)}])
    published = tmp_path / "warehouse.published.duckdb"
    staging = tmp_path / ".staging"
    dev.start()

    # 1. The sensor registers `first` and launches its run; everything is killed while it cleans.
    marker = tmp_path / "paused"
    dev.wait_for(marker.exists, "run of the first source pausing in its cleaning step")
    (killed,) = cycle.runs(INGEST, "first")
    assert set(dev.instance.get_dynamic_partitions("sources")) == {"first"}
    step_pid = int(marker.read_text())
    worker_pid = next(r.event_log_entry.dagster_event.pid for r in dev.instance.get_records_for_run(
        killed.run_id, of_type={DagsterEventType.RUN_START}).records)
    assert step_pid != worker_pid, "the multiprocess executor runs each step in its own process"
    dev.kill()
    for pid in (worker_pid, step_pid):  # in case the code server put them in another group
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    assert [p.name for p in staging.iterdir()], "the killed run left its staging behind"
    with DagsterInstance.from_config(str(dev.home)) as instance:
        assert instance.get_run_by_id(killed.run_id).status == DagsterRunStatus.STARTED, "nobody saw it die"
    dev.start()

    # 2. A new source: registered, run alone; it completes although the dead run held the slot.
    write_sources(sources, [{"name": "first", "kind": "folder", "path": str(first)},
                            {"name": "second", "kind": "folder", "path": str(second)}])
    (run_second,) = dev.wait_for(lambda: cycle.runs(INGEST, "second") or None, "run of the new source")
    cycle.wait_finished([run_second.run_id], "the new source's run")
    assert set(dev.instance.get_dynamic_partitions("sources")) == {"first", "second"}
    assert [r.run_id for r in cycle.runs(INGEST)] == [killed.run_id, run_second.run_id], "the new source ran alone"
    assert dev.instance.get_run_by_id(killed.run_id).status == DagsterRunStatus.FAILURE
    (failure,) = dev.instance.all_logs(killed.run_id, of_type=DagsterEventType.RUN_FAILURE)
    assert "of the run is gone" in failure.message, "run monitoring, through assets/run_health.py, failed it"
    assert not dev.instance.event_log_storage.get_concurrency_info("duckdb_warehouse").claimed_slots
    assert not list(staging.glob("staged-*")), "the dead run's staging was not removed"
    logs = [e.message for e in dev.instance.all_logs(run_second.run_id)]
    assert any("multiprocess executor" in m for m in logs), "daemon runs use the README's executor"
    (marts,) = cycle.marts_after(0)
    assert cycle.started_after(marts, [run_second])
    after_new_source = _published_tables(published)
    assert _sources_in(published) == {"second"}

    # 3. A schedule tick: one run per source, then one marts run; `first` is in the copy now.
    tick = dev.trigger_schedule("daily_schedule")
    runs = cycle.wait_finished(tick, "the schedule's runs")
    assert sorted(r.tags["dagster/partition"] for r in runs) == ["first", "second"]
    (marts,) = cycle.marts_after(1)
    assert cycle.started_after(marts, runs), "the marts run waited for every source run"
    after_tick = _published_tables(published)
    assert _sources_in(published) == {"first", "second"}
    assert after_tick != after_new_source

    # 4. A second tick with nothing new: the same runs, and no table changes.
    tick = dev.trigger_schedule("daily_schedule")
    runs = cycle.wait_finished(tick, "the second tick's runs")
    assert sorted(r.tags["dagster/partition"] for r in runs) == ["first", "second"]
    (marts,) = cycle.marts_after(2)
    assert cycle.started_after(marts, runs)
    assert _published_tables(published) == after_tick
