"""The published read-only copy, with real processes: an analyst's Python session holds the
copy open while the pipeline writes the warehouse and publishes a new copy; neither
blocks the other."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from assets.runner import run_pipeline
from pipeline.storage import Warehouse
from tests.test_marts import seed_record, seed_warehouse

# Opens the copy read-only and keeps the connection: answers "count" with the number of
# incidents it sees, then "ok"; exits on "quit".
READER = textwrap.dedent("""
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() == "quit":
            break
        n = con.execute("SELECT count(*) FROM incidents").fetchone()[0]
        print(f"count {n}", flush=True)
""")


class Reader:
    def __init__(self, path: Path):
        self.proc = subprocess.Popen([sys.executable, "-c", READER, str(path)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().strip()
        assert line == "ready", self.proc.stderr.read()

    def count(self) -> int:
        self.proc.stdin.write("count\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline().strip()
        assert line.startswith("count "), (line, self.proc.stderr.read() if self.proc.poll() is not None else "")
        return int(line.split()[1])

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.flush()
        self.proc.wait(timeout=10)


@pytest.fixture
def reader_factory():
    readers = []

    def make(path: Path) -> Reader:
        readers.append(Reader(path))
        return readers[-1]

    yield make
    for reader in readers:
        reader.close()


def _files(folder: Path) -> list[str]:
    """The folder's entries but the warehouse's own scratch directory for staged partitions."""
    return sorted(p.name for p in folder.iterdir() if p.name != Warehouse(folder / "x").scratch_dir.name)


def test_publish_copy_is_complete_and_leaves_no_temp_file(tmp_path):
    db = tmp_path / "wh.duckdb"
    seed_warehouse(db)
    seed_record(db)
    path = Warehouse(db).publish_copy()
    assert path == tmp_path / "wh.published.duckdb"
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 6
    assert con.execute("SELECT count(*) FROM event_mentions").fetchone()[0] == 8  # the view works in the copy
    con.close()
    assert _files(tmp_path) == ["wh.duckdb", "wh.published.duckdb"]


def test_a_reader_holding_the_published_copy_does_not_block_a_run(tmp_path, sources_file, instance, reader_factory):
    db = tmp_path / "wh.duckdb"
    seed_warehouse(db)
    published = Warehouse(db).publish_copy()
    reader = reader_factory(published)
    assert reader.count() == 0  # incidents are not built yet in this first copy

    # A full pipeline run (ingest of a new source, incidents, marts, publish) while the
    # analyst's process holds the published copy open in another process.
    run_pipeline(sources_file, db, instance=instance, log=lambda _: None)

    assert reader.count() == 0  # the open session keeps its snapshot, and keeps working
    built = Warehouse(db).query_df("SELECT count(*) AS n FROM incidents", read_only=True)["n"][0]
    assert built > 0
    fresh = reader_factory(published)
    assert fresh.count() == built  # a new session sees the new copy
    # ... and a second publish swaps the file under both readers without disturbing them.
    Warehouse(db).publish_copy()
    assert reader.count() == 0 and fresh.count() == built


def test_publish_waits_for_a_writer_instead_of_copying_a_half_written_state(tmp_path):
    db = tmp_path / "wh.duckdb"
    seed_warehouse(db)
    # Another process holds the warehouse for writing: publishing waits for the lock, then
    # gives up with a clear error once its (here short) timeout passes.
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import duckdb, sys, time
        con = duckdb.connect({str(db)!r})
        print("locked", flush=True)
        sys.stdin.readline()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(Exception, match="locked"):
            Warehouse(db, lock_timeout_s=0.5).publish_copy()
        assert not (tmp_path / "wh.published.duckdb").exists()
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=10)
    assert Warehouse(db).publish_copy().exists()


@pytest.mark.parametrize("name", ['it\'s the "main" wh.duckdb', 'x"; DROP TABLE articles; --\'.duckdb'],
                         ids=["quotes and a space", "SQL in the name"])
def test_a_warehouse_whose_file_name_has_quotes_and_spaces_is_published(tmp_path, name):
    # The database name DuckDB derives from the file name, and the temp file's path, go into
    # ATTACH and COPY FROM DATABASE, which take no parameters: both must be quoted.
    folder = tmp_path / "dir with 'quotes' and \"more\""
    folder.mkdir()
    db = folder / name
    seed_warehouse(db)
    seed_record(db)
    path = Warehouse(db).publish_copy()
    assert path == folder / (db.stem + ".published.duckdb")
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 6
        assert con.execute("SELECT count(*) FROM event_mentions").fetchone()[0] == 8
    finally:
        con.close()
    assert _files(folder) == sorted([name, path.name])  # no temp file left
    assert Warehouse(db).query_df("SELECT count(*) AS n FROM articles", read_only=True)["n"][0] == 6  # source intact
