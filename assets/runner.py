"""Running the whole pipeline in-process (the `demarche run` and `evaluate` commands):
register every source as a partition, run the ingest job for each, then the marts."""

import re
import time
from collections.abc import Callable
from pathlib import Path

from dagster import DagsterInstance

from assets.definitions import build_definitions
from assets.instance import instance_for
from assets.partitions import sources_partitions
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
    known = set(instance.get_dynamic_partitions(sources_partitions.name))
    new = [s.name for s in specs if s.name not in known]
    if new:
        instance.add_dynamic_partitions(sources_partitions.name, new)
        log(f"registered {len(new)} new source partition(s): {', '.join(new)}")
    ingest = defs.resolve_job_def("ingest_job")
    started = time.monotonic()
    for done, spec in enumerate(specs, start=1):
        t0 = time.monotonic()
        result = ingest.execute_in_process(partition_key=spec.name, instance=instance, run_config=QUIET, raise_on_error=False)
        if not result.success:
            raise RunFailed(f"source {spec.name!r}: ingest run {result.run_id} failed: {_why(result)}")
        elapsed = time.monotonic() - started
        eta = elapsed / done * (len(specs) - done)
        log(f"[{done}/{len(specs)}] source {spec.name}: done in {time.monotonic() - t0:.1f}s, {_stage_summary(result)} "
            f"(about {eta:.0f}s left)")
    result = defs.resolve_job_def("marts_job").execute_in_process(instance=instance, run_config=QUIET, raise_on_error=False)
    if not result.success:
        raise RunFailed(f"marts run {result.run_id} failed: {_why(result)}")
    log(f"incidents and marts rebuilt in {time.monotonic() - started:.1f}s total")
    return Warehouse(db_path)
