"""Running the whole pipeline in-process (the `demarche run` and `evaluate` commands):
register every source as a partition, run the ingest job for each, then the marts.

Before the first job, runs of the instance that died (kill -9, out of memory, reboot) are
marked failed and give their pool slots back (assets/run_health.py); while a job waits for a
pool slot it says which run holds it and stops on SIGINT/SIGTERM (assets/slot_wait.py)."""

import re
import signal
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from dagster import DagsterInstance, JobDefinition

from assets.definitions import build_definitions
from assets.instance import instance_for, register_sources
from assets.run_health import reap_dead_runs
from assets.slot_wait import watch_slot_waits
from pipeline.sources_file import load_sources
from pipeline.storage import Warehouse

# The terminal shows the runner's own progress lines and warnings (pipeline.progress.report);
# Dagster's step events, failures with their tracebacks included, stay in the instance's event
# log (visible in the UI) instead of flooding the console: a failure is one line (RunFailed).
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}

# "pipeline.storage.errors.WarehouseError: ..." -> "WarehouseError: ..."
_MODULE_PATH = re.compile(r"^[\w.]+[.](\w+:)")


class RunFailed(RuntimeError):
    pass


def _why(result) -> str:
    """The failed step and its error, in one line (the traceback is in the run's event log)."""
    for event in result.all_events:
        if event.is_step_failure:
            error = event.step_failure_data.error
            while error.cause is not None and error.cls_name == "DagsterExecutionStepExecutionError":
                error = error.cause  # Dagster's wrapper around the error the step raised
            if error.cls_name == "DagsterExecutionInterruptedError":
                return f"step {event.step_key} interrupted (what was fetched is kept: the next run resumes)"
            first = error.message.strip().splitlines()[0] if error.message.strip() else error.cls_name
            return f"step {event.step_key}: " + _MODULE_PATH.sub(r"\1", first)
    return "see the run in the Dagster UI"


class RunInterrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM while a run waited for a pool slot: the run was canceled (the CLI
    handles it as Ctrl-C)."""


def execute_job(job: JobDefinition, instance: DagsterInstance, log: Callable[[str], None], **kwargs):
    """job.execute_in_process, saying when it waits for a pool slot and stopping on a signal."""
    run_id = str(uuid.uuid4())
    with watch_slot_waits(instance, run_id, log) as watcher:
        result = job.execute_in_process(instance=instance, run_id=run_id, run_config=QUIET, raise_on_error=False,
                                        **kwargs)
    if watcher.interrupted_by is not None:
        message = (f"{signal.Signals(watcher.interrupted_by).name} while run {run_id} waited for a pool slot: "
                   "the run was canceled")
        log(message)
        raise RunInterrupted(message)
    return result


def _stage_summary(result) -> str:
    """What the ingest run's cleaning and extraction did, from their materialization metadata."""
    parts = []
    for node, verb, seconds in [("articles", "cleaned", "clean_seconds"), ("event_mentions", "extracted", "extract_seconds")]:
        found = [m for m in result.get_asset_materialization_events() if m.asset_key.to_user_string() == node]
        if not found:
            continue
        meta = {k: v.value for k, v in found[-1].materialization.metadata.items()}
        rate = f", {meta[verb] / meta[seconds]:.0f}/s" if meta.get(seconds) and meta.get(verb) else ""
        parts.append(f"{verb} {meta.get(verb, 0)} ({meta.get('reused', 0)} reused{rate})")
        if node == "articles":
            parts.append(_rejections(meta))
    return "; ".join(parts)


def _rejections(meta: dict) -> str:
    """"rejected 2 (binary 1, outside_folder 1: see the rejected table)", or "rejected 0"."""
    reasons = meta.get("rejected_reasons") or {}
    if not reasons:
        return "rejected 0"
    listed = ", ".join(f"{reason} {n}" for reason, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"rejected {sum(reasons.values())} ({listed}: see the rejected table)"


def run_pipeline(
    sources_path: Path,
    db_path: Path,
    instance: DagsterInstance | None = None,
    cochairs: list[str] | None = None,
    log: Callable[[str], None] = print,
    store: str | None = None,
    corrections_path: Path | None = None,
) -> Warehouse:
    specs = load_sources(sources_path)  # fail early, with the entry named, on a bad file
    defs = build_definitions(str(db_path), str(sources_path), cochairs, store,
                             str(corrections_path) if corrections_path else None)
    instance = instance or instance_for(db_path)  # assets/instance.py: which instance, and why
    register_sources(instance, [spec.name for spec in specs], log)
    reap_dead_runs(instance, log)
    ingest = defs.resolve_job_def("ingest_job")
    started = time.monotonic()
    for done, spec in enumerate(specs, start=1):
        t0 = time.monotonic()
        result = execute_job(ingest, instance, log, partition_key=spec.name)
        if not result.success:
            raise RunFailed(f"source {spec.name!r}: ingest run {result.run_id} failed: {_why(result)}")
        elapsed = time.monotonic() - started
        eta = elapsed / done * (len(specs) - done)
        log(f"[{done}/{len(specs)}] source {spec.name}: done in {time.monotonic() - t0:.1f}s, {_stage_summary(result)} "
            f"(about {eta:.0f}s left)")
    result = execute_job(defs.resolve_job_def("marts_job"), instance, log)
    if not result.success:
        raise RunFailed(f"marts run {result.run_id} failed: {_why(result)}")
    log(f"incidents and marts rebuilt in {time.monotonic() - started:.1f}s total")
    return Warehouse(db_path)
