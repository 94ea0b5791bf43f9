"""Dead runs give their slots back, with the shipped instance settings (dagster_home/dagster.yaml:
the `duckdb_warehouse` pool limited to 1) in a persistent DAGSTER_HOME, and real `demarche run`
processes:

- a run killed with -9 at any stage (discovery, cleaning, extraction, marts) leaves an
  instance in which the next run finishes: it marks the dead run failed, frees its slot, says
  so, removes the staging the dead run left, and ends with the tables of an undisturbed run;
- a run waiting for a slot says which pool and which run holds it, and stops on SIGTERM;
- two runs starting together on a new instance both succeed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from dagster import DagsterInstance, DagsterRunStatus

from pipeline.storage.faults import FAULT_MARKER_ENV, FAULT_PAUSE_ENV
from tests.conftest import REPO
from tests.test_dagster import _snapshot
from tests.test_faults import undisturbed_run  # noqa: F401 (a module-scoped fixture, shared)

POOL = "duckdb_warehouse"
# stage -> the fault point where the run is killed (pipeline/storage/faults.py)
KILL_POINTS = {
    "discovery": "raw_articles",  # in the middle of writing the source's raw inputs
    "cleaning": "staged:articles",  # clean articles staged, not committed
    "extraction": "mentions",  # in the middle of writing the source's mentions
    "marts": "incidents",  # in the middle of rebuilding the incidents
}
HANG_GUARD_S = 600  # a wedged run fails the test instead of hanging CI; not a speed check
DEMARCHE = Path(sys.executable).with_name("demarche")


def _home(tmp_path: Path) -> Path:
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text((REPO / "dagster_home" / "dagster.yaml").read_text())
    return home


def _demarche_run(home: Path, sources: Path, db: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen([str(DEMARCHE), "run", "--sources", str(sources), "--db", str(db)], cwd=REPO,
                            env={**os.environ, "DAGSTER_HOME": str(home), **env},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_for(condition, proc: subprocess.Popen, what: str):
    deadline = time.monotonic() + HANG_GUARD_S
    while not (value := condition()):
        assert proc.poll() is None, f"the run ended before {what}:\n{proc.communicate()[0]}"
        assert time.monotonic() < deadline, f"no {what} after {HANG_GUARD_S}s"
        time.sleep(0.1)
    return value


def _paused_run(home: Path, sources: Path, db: Path, point: str, marker: Path) -> subprocess.Popen:
    """A `demarche run` stopped at a fault point (pipeline/storage/faults.py), holding its slot."""
    proc = _demarche_run(home, sources, db, **{FAULT_PAUSE_ENV: point, FAULT_MARKER_ENV: str(marker)})
    _wait_for(marker.exists, proc, f"pause at {point}")
    assert marker.read_text() == str(proc.pid)
    return proc


def _instance(home: Path) -> DagsterInstance:
    return DagsterInstance.from_config(str(home))


@pytest.mark.parametrize("stage", list(KILL_POINTS))
def test_a_run_killed_at_any_stage_never_blocks_the_next(tmp_path, undisturbed_run, stage):  # noqa: F811
    sources_file, _reference, undisturbed = undisturbed_run
    home, db = _home(tmp_path), tmp_path / "wh.duckdb"
    proc = _paused_run(home, sources_file, db, KILL_POINTS[stage], tmp_path / "paused")
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    with _instance(home) as instance:
        (dead,) = instance.get_runs()[:1]
        assert dead.status == DagsterRunStatus.STARTED  # what the kill leaves: nobody reported its end
        assert instance.event_log_storage.get_concurrency_info(POOL).claimed_slots, "the dead run holds the slot"
    staging = tmp_path / ".staging"
    if stage == "cleaning":
        assert list(staging.glob("staged-*")), "the dead run left its staging"

    rerun = _demarche_run(home, sources_file, db)
    output = rerun.communicate(timeout=HANG_GUARD_S)[0]
    assert rerun.returncode == 0, output
    assert f"run {dead.run_id} ({dead.job_name}" in output and "died without finishing" in output, output
    assert _snapshot(db) == undisturbed
    assert not list(staging.glob("staged-*")), "staging left behind"
    with _instance(home) as instance:
        assert instance.get_run_by_id(dead.run_id).status == DagsterRunStatus.FAILURE
        info = instance.event_log_storage.get_concurrency_info(POOL)
        assert not info.claimed_slots and not info.pending_steps
        assert {run.status for run in instance.get_runs() if run.run_id != dead.run_id} == {DagsterRunStatus.SUCCESS}


def test_a_run_waiting_for_a_slot_says_who_holds_it_and_stops_on_sigterm(tmp_path, undisturbed_run):  # noqa: F811
    sources_file = undisturbed_run[0]
    home, db = _home(tmp_path), tmp_path / "wh.duckdb"
    holder = _paused_run(home, sources_file, db, "staged:articles", tmp_path / "paused")
    try:
        with _instance(home) as instance:
            (held_by,) = instance.get_runs()
        waiter = _demarche_run(home, sources_file, db)
        lines: list[str] = []
        _wait_for(lambda: lines.append(waiter.stdout.readline()) or "waits for a slot" in lines[-1], waiter,
                  "a line saying the run waits")
        assert f"pool {POOL}, held by run {held_by.run_id} (ingest_job, source wire)" in lines[-1], lines
        waiter.send_signal(signal.SIGTERM)
        output = "".join(lines) + waiter.communicate(timeout=HANG_GUARD_S)[0]
        assert waiter.returncode == 130, output
        assert "SIGTERM while run" in output and "waited for a pool slot: the run was canceled" in output, output
        with _instance(home) as instance:
            (canceled,) = [run for run in instance.get_runs() if run.run_id != held_by.run_id]
            assert canceled.status == DagsterRunStatus.CANCELED
            info = instance.event_log_storage.get_concurrency_info(POOL)
            assert {slot.run_id for slot in info.claimed_slots} == {held_by.run_id}
            assert {step.run_id for step in info.pending_steps} == {held_by.run_id}, "the canceled run's claim was dropped"
    finally:
        holder.kill()
        holder.communicate()


# Both processes import everything, then meet at a barrier before each round, so that they set
# up the same new instance at the same moment: round 0 is a whole `demarche run` on a new
# instance; each further round only opens a new instance and registers the sources (the race
# does not show every time: each round is one more chance to catch it).
# argv: sources file, warehouse, racer id, folder of the instances, rounds.
RACER = """
    import os, sys, time
    from pathlib import Path
    from assets.instance import project_instance, register_sources
    from assets.runner import run_pipeline
    sources, db, me, base, rounds = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4]), int(sys.argv[5])

    def barrier(name):
        (base / f"{name}.{me}").touch()
        deadline = time.monotonic() + 120
        while len(list(base.glob(f"{name}.*"))) < 2:
            if time.monotonic() > deadline:
                sys.exit(f"the other racer never reached {name}: it failed")
            time.sleep(0.002)

    for n in range(rounds):
        os.environ["DAGSTER_HOME"] = str(base / f"home{n}")
        barrier(f"round{n}")
        if n == 0:
            run_pipeline(sources, db, log=lambda _: None)
        else:
            register_sources(project_instance(), ["wire"], log=lambda _: None)
"""
ROUNDS = 10


def test_two_runs_starting_together_on_a_new_instance_both_succeed(tmp_path, undisturbed_run):  # noqa: F811
    sources_file, _reference, undisturbed = undisturbed_run
    for n in range(ROUNDS):  # new instances: no tables, no partitions yet
        home = tmp_path / f"home{n}"
        home.mkdir()
        (home / "dagster.yaml").write_text((REPO / "dagster_home" / "dagster.yaml").read_text())
    racers = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(RACER), str(sources_file),
                                str(tmp_path / f"wh{me}.duckdb"), str(me), str(tmp_path), str(ROUNDS)],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
              for me in range(2)]
    outputs = [racer.communicate(timeout=HANG_GUARD_S)[0] for racer in racers]
    assert [racer.returncode for racer in racers] == [0, 0], outputs
    for me in range(2):
        assert _snapshot(tmp_path / f"wh{me}.duckdb") == undisturbed
    for n in range(ROUNDS):
        with _instance(tmp_path / f"home{n}") as instance:
            assert instance.get_dynamic_partitions("sources") == ["wire"]
