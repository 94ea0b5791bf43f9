"""Concurrency with real processes: several partitions materialized at once against one
warehouse, an analyst refreshing the published copy while runs publish new ones, and an
analyst who opens the pipeline's own warehouse file while a run writes it."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import duckdb
import pytest

from assets.definitions import build_definitions
from assets.partitions import sources_partitions
from assets.runner import run_pipeline
from pipeline.storage import Warehouse
from tests.conftest import REPO, write_corpus, write_sources
from tests.test_publish import Reader

TIMEOUT_S = 180  # generous: three cold Dagster imports on two busy cores
LOCK_MESSAGE = "is locked by another process; retrying"

# One partition's ingest job in its own process and its own (ephemeral) Dagster instance, so
# that no Dagster pool serialises the three: only the warehouse's lock retry does.
INGEST = """
    import logging, sys
    from dagster import DagsterInstance
    from assets.definitions import build_definitions
    from assets.partitions import sources_partitions
    logging.basicConfig(level=logging.WARNING, format="%(name)s %(message)s")
    logging.getLogger("pipeline.storage.warehouse").setLevel(logging.INFO)
    sources, db, key = sys.argv[1:]
    job = build_definitions(db, sources).resolve_job_def("ingest_job")
    instance = DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(sources_partitions.name, [key])
    quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    result = job.execute_in_process(partition_key=key, instance=instance, run_config=quiet, raise_on_error=False)
    for event in result.all_events:
        if event.is_step_failure:
            print("STEP FAILED", event.step_key, event.event_specific_data.error.message, file=sys.stderr)
    print("success" if result.success else "failure", flush=True)
"""


class Pumped:
    """A subprocess whose stderr lines are collected by a thread as they come."""

    def __init__(self, *args: str):
        self.proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(INGEST), *args], cwd=REPO,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self.thread = threading.Thread(target=lambda: self.lines.extend(self.proc.stderr), daemon=True)
        self.thread.start()

    def finish(self) -> tuple[str, str]:
        out = self.proc.stdout.read()
        self.proc.wait(timeout=TIMEOUT_S)
        self.thread.join(timeout=10)
        return out.strip(), "".join(self.lines)


PER_SOURCE = {"raw_articles": "discovered_at", "articles": "cleaned_at", "rejected": "rejected_at", "mentions": None}


def _partition_tables(db: Path) -> dict[str, list]:
    """Every per-source table, without the time stamps of the run."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table, stamp in PER_SOURCE.items():
            rows = con.execute(f"SELECT * EXCLUDE ({stamp}) FROM {table}" if stamp else f"SELECT * FROM {table}")  # noqa: S608
            out[table] = sorted(map(repr, rows.fetchall()))
        return out
    finally:
        con.close()


@pytest.fixture
def three_sources(tmp_path) -> Path:
    entries = []
    for name in ("alpha", "beta", "gamma"):
        write_corpus(tmp_path / name)
        entries.append({"name": name, "kind": "folder", "path": str(tmp_path / name)})
    return write_sources(tmp_path / "sources.yaml", entries)


def test_partitions_materialized_at_once_by_separate_processes(tmp_path, three_sources, instance):
    keys = ["alpha", "beta", "gamma"]
    # The reference: the same three partitions, one after the other.
    reference = tmp_path / "sequential.duckdb"
    job = build_definitions(str(reference), str(three_sources)).resolve_job_def("ingest_job")
    instance.add_dynamic_partitions(sources_partitions.name, keys)
    for key in keys:
        assert job.execute_in_process(partition_key=key, instance=instance).success

    db = tmp_path / "concurrent.duckdb"
    Warehouse(db).ensure_schema()
    # Hold the write lock until every process has met it, so they really contend, then let go.
    holder = duckdb.connect(str(db))
    procs = [Pumped(str(three_sources), str(db), key) for key in keys]
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while not all(any(LOCK_MESSAGE in line for line in p.lines) for p in procs):
            assert all(p.proc.poll() is None for p in procs), [p.finish() for p in procs]
            assert time.monotonic() < deadline, [p.lines for p in procs]
            time.sleep(0.1)
    finally:
        holder.close()
    results = [p.finish() for p in procs]
    for key, (out, err) in zip(keys, results):
        assert out == "success", (key, err[-3000:])
        assert "STEP FAILED" not in err and "IOException" not in err and "Conflicting lock" not in err.replace(LOCK_MESSAGE, "")
    assert _partition_tables(db) == _partition_tables(reference)
    con = duckdb.connect(str(db), read_only=True)
    assert dict(con.execute("SELECT source, count(*) FROM articles GROUP BY source").fetchall()) == dict.fromkeys(keys, 3)
    con.close()


# -- an analyst on the published copy ------------------------------------------------------------

# Like an analyst re-running a notebook cell: connect read-only, query, disconnect, again,
# until told to stop; prints what it saw and every error.
REFRESHING_READER = """
    import json, sys, time, duckdb
    from pathlib import Path
    path, stop = sys.argv[1], Path(sys.argv[2])
    seen, errors, queries = set(), [], 0
    while not stop.exists():
        try:
            con = duckdb.connect(path, read_only=True)
            try:
                seen.add(con.execute("SELECT (SELECT count(*) FROM articles) * 1000 + (SELECT count(*) FROM incidents)").fetchone()[0])
            finally:
                con.close()
            queries += 1
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        time.sleep(0.05)
    print(json.dumps({"seen": sorted(seen), "errors": errors, "queries": queries}))
"""


def _state(published: Path) -> int:
    con = duckdb.connect(str(published), read_only=True)
    try:
        return con.execute("SELECT (SELECT count(*) FROM articles) * 1000 + (SELECT count(*) FROM incidents)").fetchone()[0]
    finally:
        con.close()


def test_an_analyst_refreshing_the_published_copy_and_scheduled_runs_never_fail_each_other(tmp_path, corpus, instance):
    one = write_sources(tmp_path / "one.yaml", [{"name": "first", "kind": "folder", "path": str(corpus)}])
    write_corpus(tmp_path / "more")
    two = write_sources(tmp_path / "two.yaml", [{"name": "first", "kind": "folder", "path": str(corpus)},
                                                {"name": "second", "kind": "folder", "path": str(tmp_path / "more")}])
    db = tmp_path / "wh.duckdb"
    run_pipeline(one, db, instance=instance, log=lambda _: None)
    published = Warehouse(db).published_path
    states = [_state(published)]
    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", textwrap.dedent(REFRESHING_READER), str(published), str(stop)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # A scheduled run over a new source: it writes the warehouse and swaps in a new copy
        # under the reader, which keeps connecting and querying all along.
        run_pipeline(two, db, instance=instance, log=lambda _: None)
        states.append(_state(published))
    finally:
        stop.touch()
        out, err = reader.communicate(timeout=60)
    report = json.loads(out.strip().splitlines()[-1]) if out.strip() else {"errors": [err]}
    assert report["errors"] == []
    assert report["queries"] > 0 and set(report["seen"]) <= set(states)
    assert len(set(states)) == 2  # the copy really changed under the reader


# -- an analyst on the pipeline's own warehouse -------------------------------------------------

ONE_READ = """
    import logging, sys, duckdb
    from pipeline.storage import Warehouse
    db, how = sys.argv[1], sys.argv[2]
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        if how == "duckdb":
            con = duckdb.connect(db, read_only=True)
            print("opened", con.execute("SELECT count(*) FROM cochairs").fetchone()[0])
        else:
            print("opened", Warehouse(db, lock_timeout_s=120).query_df("SELECT count(*) AS n FROM cochairs", read_only=True)["n"][0])
    except Exception as exc:
        print("refused", type(exc).__name__, exc)
"""


def test_an_analyst_cannot_open_the_warehouse_read_only_while_a_run_writes_it(tmp_path):
    db = tmp_path / "wh.duckdb"
    Warehouse(db).ensure_schema()
    writer = duckdb.connect(str(db))  # a run in the middle of a write holds this
    try:
        plain = subprocess.run([sys.executable, "-c", textwrap.dedent(ONE_READ), str(db), "duckdb"], cwd=REPO,
                               capture_output=True, text=True, timeout=TIMEOUT_S)
        # DuckDB itself refuses: one process writes, or any number read, never both.
        assert plain.stdout.startswith("refused IOException") and "Conflicting lock" in plain.stdout, plain
        # Through the project's Warehouse, the reader waits for the writer instead.
        waiting = subprocess.Popen([sys.executable, "-c", textwrap.dedent(ONE_READ), str(db), "warehouse"], cwd=REPO,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        waited = ""
        while LOCK_MESSAGE not in waited:  # until the reader reports that it waits (or gives up: EOF)
            line = waiting.stderr.readline()
            assert line, waiting.communicate(timeout=TIMEOUT_S)
            waited += line
        writer.execute("INSERT INTO cochairs VALUES ('RUS')")
    finally:
        writer.close()
    out, err = waiting.communicate(timeout=TIMEOUT_S)
    assert out.strip() == "opened 1", err[-2000:]


class _ReleaseOnLockRetry(logging.Handler):
    """Lets the analyst's session go as soon as the run reports that it is waiting for it."""

    def __init__(self, reader: Reader):
        super().__init__(logging.INFO)
        self.reader, self.retries = reader, 0

    def emit(self, record: logging.LogRecord) -> None:
        if LOCK_MESSAGE in record.getMessage():
            self.retries += 1
            if self.retries == 1:
                self.reader.close()


def test_a_run_waits_for_an_analyst_holding_the_warehouse_briefly(tmp_path, sources_file, instance):
    db = tmp_path / "wh.duckdb"
    Warehouse(db).ensure_schema()
    reader = Reader(db)  # a real second process with the warehouse open read-only
    logger = logging.getLogger("pipeline.storage.warehouse")
    handler, level = _ReleaseOnLockRetry(reader), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        run_pipeline(sources_file, db, instance=instance, log=lambda _: None)  # raises RunFailed on failure
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        reader.close()
    assert handler.retries >= 1  # the run did meet the reader's lock, and waited instead of failing
    assert reader.proc.returncode == 0
    assert Warehouse(db).query_df("SELECT count(*) AS n FROM incidents", read_only=True)["n"][0] > 0
