"""End-to-end speed of the pipeline against a bare trafilatura loop, in one run.

    .venv/bin/python benchmarks/pipeline_speed.py --pages 3000 [--repeat 2] [--workers N]
        [--layout pool|partitions] [--store duckdb|parquet] [--bare both|default|none] [--json out.json]

Builds a corpus of N distinct pages (benchmarks/corpus.py) in a temp folder, then, each
`--repeat` times (medians are reported):
- runs the real Dagster assets (assets.runner.run_pipeline) into a fresh temp warehouse and
  temp Dagster instance, and reads each stage's own timing from its materialization;
- runs it again with nothing new (content hashes: nothing cleaned or extracted again);
- runs a bare single-process `trafilatura.extract` loop over the same files (default
  settings, and the project's EXTRACT_OPTIONS).
`--layout partitions` splits the corpus into one source per worker and runs the source
partitions as concurrent Dagster runs, one process each, instead of one run with a pool.
`--store parquet` has the per-source runs write per-partition Parquet files (the multi-writer
store, docs/scaling.md) instead of the DuckDB file.
Peak memory is the resident-set maximum of this process and of its largest child.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import trafilatura  # noqa: E402
import yaml  # noqa: E402
from dagster import AssetKey, DagsterInstance, RunsFilter  # noqa: E402

from assets.definitions import build_definitions  # noqa: E402
from assets.partitions import sources_partitions  # noqa: E402
from assets.resources import STORE_ENV  # noqa: E402
from assets.runner import QUIET, run_pipeline  # noqa: E402
from benchmarks.corpus import build_corpus  # noqa: E402
from pipeline.cleaning.html import EXTRACT_OPTIONS  # noqa: E402
from pipeline.parallel import WORKERS_ENV, worker_count  # noqa: E402


def bare_loop(paths: list[Path], **options) -> float:
    """Seconds for one process to read, gunzip, decode and trafilatura.extract every file."""
    started = time.perf_counter()
    for path in paths:
        trafilatura.extract(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"), **options)
    return time.perf_counter() - started


def _instance(home: Path) -> DagsterInstance:
    home.mkdir(parents=True, exist_ok=True)
    os.environ["DAGSTER_HOME"] = str(home)
    return DagsterInstance.get()


def _metadata(instance: DagsterInstance, asset: str, partition: str) -> dict:
    event = instance.get_latest_materialization_event(AssetKey(asset))
    records = instance.fetch_materializations(AssetKey(asset), limit=1000).records
    for record in records:  # newest first: this partition's latest
        if record.partition_key == partition:
            event = record.event_log_entry
            break
    return {k: v.value for k, v in event.asset_materialization.metadata.items()}


def _run_seconds(instance: DagsterInstance, job: str) -> float:
    run = instance.get_runs(filters=RunsFilter(job_name=job), limit=1)[0]
    stats = instance.get_run_stats(run.run_id)
    return stats.end_time - stats.start_time


def _discovery_seconds(instance: DagsterInstance) -> float:
    """The whole ingest_source step (discovery, cleaning, the commit)."""
    run = instance.get_runs(filters=RunsFilter(job_name="ingest_job"), limit=1)[0]
    step = next(s for s in instance.get_run_step_stats(run.run_id) if s.step_key == "ingest_source")
    return step.end_time - step.start_time


def _sources_file(work: Path, folders: list[Path]) -> Path:
    entries = [{"name": f"bench{i}", "kind": "folder", "path": str(f)} for i, f in enumerate(folders)]
    path = work / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": entries}), encoding="utf-8")
    return path


def _split(corpus: list[Path], work: Path, parts: int) -> list[Path]:
    """One folder per partition, the corpus dealt round-robin (hard links: no copies)."""
    folders = [work / f"part{i}" for i in range(parts)]
    for folder in folders:
        folder.mkdir()
    for index, path in enumerate(corpus):
        os.link(path, folders[index % parts] / path.name)
    return folders


def run_partitions_concurrently(sources: Path, db: Path, instance: DagsterInstance, keys: list[str], store: str) -> None:
    """What the run queue does with one run per partition and no pool limit: K concurrent
    ingest runs (one process each, no pool inside), then the marts."""
    known = set(instance.get_dynamic_partitions(sources_partitions.name))
    instance.add_dynamic_partitions(sources_partitions.name, [k for k in keys if k not in known])
    env = {**os.environ, WORKERS_ENV: "1", STORE_ENV: store}
    procs = [subprocess.Popen([sys.executable, __file__, "--run-partition", key, "--sources", str(sources),
                               "--db", str(db)], env=env) for key in keys]
    if any(p.wait() != 0 for p in procs):
        raise RuntimeError("a partition run failed")
    defs = build_definitions(str(db), str(sources), store=store)
    if not defs.resolve_job_def("marts_job").execute_in_process(instance=instance, run_config=QUIET).success:
        raise RuntimeError("marts run failed")


def _run_one_partition(key: str, sources: Path, db: Path) -> int:
    defs = build_definitions(str(db), str(sources))
    job = defs.resolve_job_def("ingest_job")
    return 0 if job.execute_in_process(partition_key=key, instance=DagsterInstance.get(), run_config=QUIET).success else 1


def measure_pipeline(corpus: list[Path], work: Path, layout: str, workers: int, store: str) -> dict:
    work.mkdir()
    folders = [corpus[0].parent] if layout == "pool" else _split(corpus, work, workers)
    sources, db = _sources_file(work, folders), work / "warehouse.duckdb"
    instance = _instance(work / "dagster_home")
    keys = [f"bench{i}" for i in range(len(folders))]

    def run() -> float:
        started = time.perf_counter()
        if layout == "pool":
            run_pipeline(sources, db, instance=instance, log=lambda _: None, store=store)
        else:
            run_partitions_concurrently(sources, db, instance, keys, store)
        return time.perf_counter() - started

    first = run()
    figures = {"first_s": first}
    if layout == "pool":
        clean, extract = _metadata(instance, "articles", keys[0]), _metadata(instance, "event_mentions", keys[0])
        # Discovery and cleaning are one step (one commit): discovery is the step less the rest.
        discover_s = _discovery_seconds(instance) - clean["clean_seconds"] - clean["write_seconds"]
        figures.update(discover_s=discover_s, clean_s=clean["clean_seconds"],
                       extract_s=extract["extract_seconds"], load_s=clean["write_seconds"] + extract["write_seconds"],
                       marts_s=_run_seconds(instance, "marts_job"), articles=clean["dagster/row_count"],
                       rejected=clean["rejected"], relevant_articles=extract["relevant_articles"])
    figures["rerun_s"] = run()
    if layout == "pool":
        again = _metadata(instance, "articles", keys[0]), _metadata(instance, "event_mentions", keys[0])
        figures.update(rerun_cleaned=again[0]["cleaned"], rerun_extracted=again[1]["extracted"])
    return figures


def peak_memory_mib() -> tuple[float, float]:
    """(this process, its largest child) peak resident set, MiB (ru_maxrss is KiB on Linux)."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def report(n: int, runs: list[dict], bare: list[float], bare_project: list[float], memory, layout: str, workers: int,
           store: str) -> dict:
    first, rerun = _median(runs, "first_s"), _median(runs, "rerun_s")
    out = {"pages": n, "layout": layout, "store": store, "workers": workers, "repeat": len(runs), "runs": runs,
           "first_s": first, "rerun_s": rerun, "bare_default_s": statistics.median(bare),
           "bare_project_options_s": statistics.median(bare_project),
           "peak_rss_self_mib": memory[0], "peak_rss_largest_child_mib": memory[1]}
    print(f"\n{n} pages, layout {layout}, store {store}, {workers} worker(s), medians of {len(runs)} runs")
    if layout == "pool":
        print(f"  articles {runs[0]['articles']}, rejected {runs[0]['rejected']}, with protests {runs[0]['relevant_articles']}")
        for stage, key in [("discover", "discover_s"), ("clean", "clean_s"), ("extract", "extract_s"),
                           ("load", "load_s"), ("incidents+marts", "marts_s")]:
            seconds = _median(runs, key)
            out[key] = seconds
            print(f"  {stage:16} {seconds:7.2f} s  {n / seconds:8.0f} pages/s")
    print(f"  end to end (Dagster, first run)   {first:7.2f} s  {n / first:6.1f} pages/s")
    print(f"  bare trafilatura.extract, default {out['bare_default_s']:7.2f} s  {n / out['bare_default_s']:6.1f} pages/s"
          f"  -> pipeline is {out['bare_default_s'] / first:.2f}x")
    print(f"  bare, project's EXTRACT_OPTIONS   {out['bare_project_options_s']:7.2f} s  "
          f"{n / out['bare_project_options_s']:6.1f} pages/s  -> pipeline is {out['bare_project_options_s'] / first:.2f}x")
    print(f"  re-run with nothing new           {rerun:7.2f} s  = {rerun / first:.1%} of the first run"
          + (f" (cleaned {runs[0]['rerun_cleaned']}, extracted {runs[0]['rerun_extracted']})" if layout == "pool" else ""))
    print(f"  peak RSS: this process {memory[0]:.0f} MiB, largest child {memory[1]:.0f} MiB")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--workers", type=int, default=None, help=f"default: ${WORKERS_ENV} or the CPU count")
    parser.add_argument("--layout", choices=["pool", "partitions"], default="pool")
    parser.add_argument("--store", choices=["duckdb", "parquet"], default="duckdb")
    parser.add_argument("--bare", choices=["both", "default", "none"], default="both",
                        help="which bare trafilatura loops to time: default settings, the project's, both or none")
    parser.add_argument("--skip-bare", action="store_true", help="same as --bare none")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--run-partition", help=argparse.SUPPRESS)
    parser.add_argument("--sources", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_partition:  # a child of --layout partitions
        return _run_one_partition(args.run_partition, args.sources, args.db)
    workers = worker_count(args.workers)
    os.environ[WORKERS_ENV] = str(workers)
    with tempfile.TemporaryDirectory(prefix="demarche-bench-") as tmp:
        started = time.perf_counter()
        corpus = build_corpus(Path(tmp) / "corpus", args.pages)
        print(f"corpus: {len(corpus)} files in {time.perf_counter() - started:.1f}s")
        runs = []
        for i in range(args.repeat):
            runs.append(measure_pipeline(corpus, Path(tmp) / f"run{i}", args.layout, workers, args.store))
            print(f"  run {i + 1}: first {runs[-1]['first_s']:.1f}s, re-run {runs[-1]['rerun_s']:.1f}s", flush=True)
        memory = peak_memory_mib()  # before the bare loops, which run in this process too
        bare, bare_project = [], []
        loops = "none" if args.skip_bare else args.bare
        for _ in range(0 if loops == "none" else args.repeat):
            bare.append(bare_loop(corpus))
            if loops == "both":
                bare_project.append(bare_loop(corpus, **EXTRACT_OPTIONS))
            print(f"  bare loops: default {bare[-1]:.1f}s" + (f", project options {bare_project[-1]:.1f}s" if bare_project else ""),
                  flush=True)
        out = report(len(corpus), runs, bare or [float("nan")], bare_project or [float("nan")], memory, args.layout,
                     workers, args.store)
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
