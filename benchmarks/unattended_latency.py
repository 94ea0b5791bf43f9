"""How long after a source is added to the sources file do the marts show it, under a real
`dagster dev` with the shipped settings (sensors every 30 s, multiprocess executor, the
`duckdb_warehouse` pool, run monitoring)?

Starts `dagster dev` on a temporary DAGSTER_HOME, warehouse and sources file (tests/dagster_dev.py)
holding one source, waits until its first cycle has published the marts, then adds a second
source and times each step until the analysts' published copy has its articles:

    .venv/bin/python benchmarks/unattended_latency.py [--files 5] [--repeat 1]

`--sensor-interval` overrides DEMARCHE_SENSOR_INTERVAL_S (default: the shipped 30 s).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import duckdb  # noqa: E402
from dagster import RunsFilter  # noqa: E402

from tests.conftest import write_sources  # noqa: E402
from tests.dagster_dev import DagsterDev  # noqa: E402

SAMPLES = sorted((REPO / "data" / "samples").iterdir())


def _sources_published(path: Path) -> set[str]:
    if not path.exists():
        return set()
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return set()  # being swapped in
    try:
        return {row[0] for row in con.execute("SELECT DISTINCT source FROM articles").fetchall()}
    finally:
        con.close()


def _runs(dev: DagsterDev, job: str, partition: str | None = None) -> list:
    tags = {"dagster/partition": partition} if partition else None
    return list(reversed(dev.instance.get_runs(filters=RunsFilter(job_name=job, tags=tags))))


def measure_once(tmp: Path, n_files: int, sensor_interval: str | None) -> dict[str, float]:
    folders = {name: tmp / name for name in ("first", "added")}
    for i, (name, folder) in enumerate(folders.items()):
        folder.mkdir()
        for sample in SAMPLES[i * n_files:(i + 1) * n_files]:
            shutil.copy(sample, folder / sample.name)
    sources, published = tmp / "sources.yaml", tmp / "warehouse.published.duckdb"
    write_sources(sources, [{"name": "first", "kind": "folder", "path": str(folders["first"])}])
    env = {"DEMARCHE_DB": str(tmp / "warehouse.duckdb"), "DEMARCHE_SOURCES": str(sources)}
    if sensor_interval:
        env["DEMARCHE_SENSOR_INTERVAL_S"] = sensor_interval
    dev = DagsterDev(tmp / "dagster_home", env)
    try:
        started = time.monotonic()
        dev.start()
        up = time.monotonic()
        dev.wait_for(lambda: "first" in _sources_published(published), "first cycle", timeout_s=1800)
        first_cycle = time.monotonic() - up
        while any(not r.is_finished for r in dev.instance.get_runs(limit=5)):  # let the first cycle settle
            time.sleep(0.5)

        write_sources(sources, [{"name": "first", "kind": "folder", "path": str(folders["first"])},
                                {"name": "added", "kind": "folder", "path": str(folders["added"])}])
        t0 = time.monotonic()
        (run,) = dev.wait_for(lambda: _runs(dev, "ingest_job", "added") or None, "run of the added source")
        launched = time.monotonic() - t0
        dev.wait_for(lambda: dev.instance.get_run_by_id(run.run_id).is_finished, "the added source's run")
        ingested = time.monotonic() - t0
        n_marts = len(_runs(dev, "marts_job"))
        dev.wait_for(lambda: len(_runs(dev, "marts_job")) > n_marts, "the marts run")
        marts_launched = time.monotonic() - t0
        dev.wait_for(lambda: "added" in _sources_published(published), "the added source in the published copy")
        shown = time.monotonic() - t0
    finally:
        dev.stop()
    return {"dagster dev up (s)": up - started, "first cycle after start (s)": first_cycle,
            "source run created (s)": launched, "source run finished (s)": ingested,
            "marts run created (s)": marts_launched, "marts published with the new source (s)": shown}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=5, help="sample files per source (default 5)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--sensor-interval", help="DEMARCHE_SENSOR_INTERVAL_S (default: the shipped 30 s)")
    args = parser.parse_args()
    results = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="demarche-latency-") as tmp:
            results.append(measure_once(Path(tmp), args.files, args.sensor_interval))
            print(" | ".join(f"{k} {v:.0f}" for k, v in results[-1].items()), flush=True)
    if args.repeat > 1:
        print("medians: " + " | ".join(f"{k} {statistics.median(r[k] for r in results):.0f}" for k in results[0]))


if __name__ == "__main__":
    main()
