"""The per-partition Parquet store (DEMARCHE_STORE=parquet): atomic partition replacement,
rows kept from the current version, unsafe source names, and the multi-writer promise with
real processes: partition runs at the same time, no lock, the same tables as one after the other."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from assets.definitions import build_definitions
from assets.runner import run_pipeline
from pipeline.storage import ParquetStore, Warehouse, WarehouseError
from pipeline.storage.parquet_store import MANIFEST, source_folder_name
from tests.conftest import REPO, write_corpus, write_sources

TIMEOUT_S = 240


def _raw(source: str, *uris: str) -> pd.DataFrame:
    return pd.DataFrame([{"source": source, "uri": u, "n_bytes": len(u), "discovered_at": pd.Timestamp("2024-01-01")}
                         for u in uris])


def _uris(store: ParquetStore, source: str) -> list[str]:
    return sorted(store.query_df("SELECT uri FROM raw_articles WHERE source = ?", [source])["uri"])


def test_a_commit_replaces_the_partition_and_keeps_the_rows_it_names(tmp_path):
    store = ParquetStore(tmp_path / "parts")
    store.replace_source_rows("wire", {"raw_articles": _raw("wire", "a", "b", "c")})
    store.replace_source_rows("other", {"raw_articles": _raw("other", "a")})
    with store.replacing("wire", ["raw_articles"]) as staged:
        staged.keep("raw_articles", "uri", ["b"])
        staged.append("raw_articles", _raw("wire", "d"))
    assert _uris(store, "wire") == ["b", "d"]
    assert _uris(store, "other") == ["a"]  # another source is untouched
    assert store.query_df("SELECT count(*) AS n FROM articles")["n"][0] == 0  # never written: empty, typed


def test_a_failed_commit_changes_nothing(tmp_path, monkeypatch):
    store = ParquetStore(tmp_path / "parts")
    store.replace_source_rows("wire", {"raw_articles": _raw("wire", "a")})
    with pytest.raises(RuntimeError, match="stage failed"):
        with store.replacing("wire", ["raw_articles"]) as staged:
            staged.append("raw_articles", _raw("wire", "b"))
            raise RuntimeError("stage failed")
    # A crash after the new files are written but before the manifest is swapped in.
    real_replace = os.replace

    def crash_on_manifest(src, dst):
        if Path(dst).name == MANIFEST:
            raise OSError("killed before the commit point")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_on_manifest)
    with pytest.raises(WarehouseError, match="killed before the commit point"):
        store.replace_source_rows("wire", {"raw_articles": _raw("wire", "c")})
    monkeypatch.undo()
    assert _uris(store, "wire") == ["a"]
    assert not list((tmp_path / "parts" / ".staging").iterdir())  # no staged leftovers


def test_replaced_files_stay_readable_for_a_grace_period_then_go(tmp_path):
    store = ParquetStore(tmp_path / "parts", grace_seconds=3600)
    store.replace_source_rows("wire", {"raw_articles": _raw("wire", "a")})
    first = store.table_files()["raw_articles"]
    store.replace_source_rows("wire", {"raw_articles": _raw("wire", "b")})
    assert all(path.exists() for path in first)  # a reader that listed them can finish
    hurried = ParquetStore(tmp_path / "parts", grace_seconds=0)
    time.sleep(0.01)
    hurried.replace_source_rows("wire", {"raw_articles": _raw("wire", "c")})
    assert not any(path.exists() for path in first)
    assert len([p for p in store.source_dir("wire").iterdir() if p.is_dir()]) == 1


@pytest.mark.parametrize("name", ["../../etc", "a/b", 'quote"s', "x' OR '1'='1", "..", "имя"])
def test_source_names_never_become_paths_or_sql(tmp_path, name):
    store = ParquetStore(tmp_path / "parts")
    store.replace_source_rows(name, {"raw_articles": _raw(name, "a")})
    folder = store.source_dir(name)
    assert folder.parent == tmp_path / "parts" and folder.name == source_folder_name(name)
    assert _uris(store, name) == ["a"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["parts"]


def test_the_warehouse_loads_a_snapshot_of_every_source(tmp_path):
    store = ParquetStore(tmp_path / "parts")
    store.replace_source_rows("one", {"raw_articles": _raw("one", "a", "b")})
    store.replace_source_rows("two", {"raw_articles": _raw("two", "c")})
    warehouse = Warehouse(tmp_path / "wh.duckdb")
    warehouse.replace_source_rows("stale", {"raw_articles": _raw("stale", "z")})
    warehouse.load_partitions(store.table_files())
    rows = warehouse.query_df("SELECT source, uri FROM raw_articles ORDER BY source, uri")
    assert list(map(tuple, rows.values)) == [("one", "a"), ("one", "b"), ("two", "c")]


# -- several writers at once, in real processes --------------------------------------------------

# One partition's ingest job in its own process and its own ephemeral Dagster instance (no
# Dagster pool between them), writing Parquet; prints when it started and ended.
INGEST = """
    import json, sys, time
    from dagster import DagsterInstance
    from assets.definitions import build_definitions
    from assets.partitions import sources_partitions
    sources, db, key = sys.argv[1:]
    job = build_definitions(db, sources, store="parquet").resolve_job_def("ingest_job")
    instance = DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(sources_partitions.name, [key])
    quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    started = time.time()
    result = job.execute_in_process(partition_key=key, instance=instance, run_config=quiet, raise_on_error=False)
    errors = [e.event_specific_data.error.message for e in result.all_events if e.is_step_failure]
    print(json.dumps({"success": result.success, "started": started, "ended": time.time(), "errors": errors}))
"""

PER_SOURCE = {"raw_articles": "discovered_at", "articles": "cleaned_at", "rejected": "rejected_at",
              "mentions": None, "extractions": "extracted_at"}


def _tables(db: Path) -> dict[str, list]:
    """Every per-source table without the run's time stamps, and the incidents."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table, stamp in PER_SOURCE.items():
            sql = f"SELECT * EXCLUDE ({stamp}) FROM {table}" if stamp else f"SELECT * FROM {table}"  # noqa: S608
            out[table] = sorted(map(repr, con.execute(sql).fetchall()))
        out["incidents"] = sorted(map(repr, con.execute("SELECT * FROM incidents").fetchall()))
        return out
    finally:
        con.close()


def test_partition_runs_write_at_once_with_no_lock_and_give_the_sequential_tables(tmp_path, instance):
    keys = ["alpha", "beta", "gamma", "delta"]
    entries = []
    for key in keys:
        write_corpus(tmp_path / key)
        entries.append({"name": key, "kind": "folder", "path": str(tmp_path / key)})
    sources = write_sources(tmp_path / "sources.yaml", entries)
    # The reference: the default DuckDB store, partitions one after the other.
    reference = tmp_path / "sequential.duckdb"
    run_pipeline(sources, reference, instance=instance, log=lambda _: None, store="duckdb")

    db = tmp_path / "concurrent.duckdb"
    env = {**os.environ, "DEMARCHE_STORE": "parquet"}
    procs = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(INGEST), str(sources), str(db), key], cwd=REPO,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for key in keys]
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=TIMEOUT_S)
        assert proc.returncode == 0, err[-3000:]
        report = json.loads(out.strip().splitlines()[-1])
        assert report["success"] and not report["errors"], report
        assert "lock" not in err.lower(), err[-3000:]
        reports.append(report)
    # They really ran at the same time: every run started before any other ended.
    assert max(r["started"] for r in reports) < min(r["ended"] for r in reports)
    assert not db.exists()  # the ingest runs never touched the DuckDB file

    marts = build_definitions(str(db), str(sources), store="parquet").resolve_job_def("marts_job")
    assert marts.execute_in_process(instance=instance).success
    assert _tables(db) == _tables(reference)
    assert _tables(db)["incidents"]
