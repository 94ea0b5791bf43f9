"""Runs whose processes are gone: how to tell, and how they give their pool slots back.

A run killed with -9 (the OOM killer, a reboot, a stopped container) never reports its end:
the instance keeps it STARTED with its concurrency slots claimed, and with the
`duckdb_warehouse` pool limited to 1 every later run would wait for it forever.

- Under `dagster dev`, Dagster's run monitoring marks such runs failed, and frees the slots
  of finished runs (`run_monitoring` in dagster_home/dagster.yaml), provided the run
  launcher can check a run's worker; Dagster's DefaultRunLauncher cannot, hence
  LocalProcessRunLauncher below (the same launcher, plus that check).
- `demarche run` executes in process, where no daemon watches: it calls reap_dead_runs()
  before its first job.

A run's processes are those that wrote its RUN_START and STEP_START events: the run worker,
and each step's process under the multiprocess executor (Dagster stamps every event with its
pid). A pid that exists now but whose process started after the event is another process
(pids are reused). This judges processes on this machine: true of the project's SQLite
instance, whose runs are launched locally.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path

from dagster import DagsterEventType, DagsterInstance, DagsterRun, DagsterRunStatus, DefaultRunLauncher, RunsFilter
from dagster._core.launcher import CheckRunHealthResult, WorkerStatus

PROCESS_EVENTS = {DagsterEventType.RUN_START, DagsterEventType.STEP_START}
FINISHED = [DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED]
# /proc gives start times in clock ticks and the boot time in whole seconds.
_START_TOLERANCE_S = 2.0


def _process_start_time(pid: int) -> float | None:
    """When process `pid` started (epoch seconds), or None if there is no such live process.
    Without /proc (not Linux) only existence is known: 0.0."""
    stat = Path(f"/proc/{pid}/stat")
    if not Path("/proc/stat").exists():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass  # exists, owned by someone else
        return 0.0
    try:
        fields = stat.read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    if fields[0] in ("Z", "X"):  # a zombie has finished: only its exit status is left
        return None
    return _boot_time() + int(fields[19]) / os.sysconf("SC_CLK_TCK")


@functools.cache
def _boot_time() -> int:
    """The boot time (epoch seconds): fixed until reboot, so /proc/stat is read once."""
    return next(int(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines() if line.startswith("btime"))


def process_alive(pid: int, seen_at: float) -> bool:
    """Is the process that wrote an event at `seen_at` (epoch seconds) with this pid alive?"""
    started = _process_start_time(pid)
    return started is not None and started <= seen_at + _START_TOLERANCE_S


def run_processes(instance: DagsterInstance, run_id: str) -> dict[int, float]:
    """pid -> when it first wrote an event, for every process that executed the run."""
    seen: dict[int, float] = {}
    for record in instance.get_records_for_run(run_id, of_type=PROCESS_EVENTS).records:
        event = record.event_log_entry
        pid = event.dagster_event.pid if event.dagster_event else None
        if pid is not None:
            seen.setdefault(pid, event.timestamp)
    return seen


def dead_processes(instance: DagsterInstance, run_id: str) -> list[int] | None:
    """The run's processes if every one of them is gone; None while any runs (or none is known yet)."""
    processes = run_processes(instance, run_id)
    if not processes or any(process_alive(pid, seen) for pid, seen in processes.items()):
        return None
    return sorted(processes)


def describe_run(run: DagsterRun) -> str:
    partition = run.tags.get("dagster/partition")
    return f"run {run.run_id} ({run.job_name}{f', source {partition}' if partition else ''})"


def reap_dead_runs(instance: DagsterInstance, log: Callable[[str], None] = print) -> list[str]:
    """Mark failed every STARTED run whose processes are all gone, and free the pool slots of
    those runs and of any finished run that still holds some. Returns the runs marked failed."""
    reaped = []
    for run in instance.get_runs(filters=RunsFilter(statuses=[DagsterRunStatus.STARTED])):
        pids = dead_processes(instance, run.run_id)
        if pids is None:
            continue
        message = (f"{describe_run(run)} died without finishing (process {', '.join(map(str, pids))} gone: "
                   "killed, out of memory, or the machine restarted); marked failed, its pool slots freed")
        instance.report_run_failed(run, message)
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        log(message)
        reaped.append(run.run_id)
    storage = instance.event_log_storage
    if storage.supports_global_concurrency_limits:
        holding = storage.get_concurrency_run_ids()
        for run in instance.get_runs(filters=RunsFilter(run_ids=list(holding), statuses=FINISHED)) if holding else []:
            storage.free_concurrency_slots_for_run(run.run_id)
            log(f"freed the pool slots still held by finished {describe_run(run)}")
    return reaped


class LocalProcessRunLauncher(DefaultRunLauncher):
    """Dagster's DefaultRunLauncher (runs in a process started by the code server), able to
    tell run monitoring whether a run's processes are still alive."""

    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run: DagsterRun) -> CheckRunHealthResult:
        pids = dead_processes(self._instance, run.run_id)
        if pids is None:
            return CheckRunHealthResult(WorkerStatus.RUNNING)
        return CheckRunHealthResult(WorkerStatus.FAILED, f"process {', '.join(map(str, pids))} of the run is gone "
                                    "(killed, out of memory, or the machine restarted)")
