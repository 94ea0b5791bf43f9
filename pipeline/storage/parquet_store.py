"""Per-partition Parquet files: a store that any number of partition runs can write at once,
on one machine or many (any shared file system), with no lock between sources.

    <root>/<source folder>/CURRENT.json            which commit holds each table of the source
    <root>/<source folder>/<commit>/<table>.parquet

A commit writes its tables into a new <commit> folder, then replaces CURRENT.json in one
rename: readers see a source's old tables or its new ones, never a mix, and a run killed
before the rename leaves the old version in place. Folders no longer referenced are removed
only after a grace period, so a reader that listed them a moment before can finish.
Commits to one source are serialised by a lock file (two runs of one partition are rare and
must not lose each other's tables); commits to different sources never wait for each other.

The marts run loads every source's current files into the DuckDB warehouse
(Warehouse.load_partitions), where incidents, marts and the analysts' copy are built as usual.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.storage.atomic import write_atomically
from pipeline.storage.errors import STORAGE_ERRORS, WarehouseError
from pipeline.storage.frames import parquet_scan, sql_identifier, sql_literal
from pipeline.storage.partitions import PARTITIONED_TABLES, PartitionStore
from pipeline.storage.sqlfiles import load_sql
from pipeline.storage.staging import StagedPartition, keep_table

MANIFEST = "CURRENT.json"
GRACE_SECONDS = 600.0  # how long a replaced commit stays readable
MEMORY_LIMIT = "512MB"
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def source_folder_name(source: str) -> str:
    """A folder name for a source: readable, and safe whatever the name holds (the hash keeps
    names that differ only in unsafe characters apart)."""
    slug = _UNSAFE.sub("_", source).strip("._")[:40] or "source"
    return f"{slug}-{hashlib.sha1(source.encode('utf-8')).hexdigest()[:12]}"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ParquetStore(PartitionStore):
    def __init__(self, root: Path | str, grace_seconds: float = GRACE_SECONDS):
        self.root = Path(root)
        self.scratch_dir = self.root / ".staging"
        self.grace_seconds = grace_seconds

    # -- layout ------------------------------------------------------------------------------
    def source_dir(self, source: str) -> Path:
        return self.root / source_folder_name(source)

    @staticmethod
    def _read_manifest(folder: Path) -> dict:
        try:
            return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"tables": {}}

    def manifests(self) -> Iterator[tuple[Path, dict]]:
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if folder.is_dir() and (folder / MANIFEST).exists():
                yield folder, self._read_manifest(folder)

    def table_files(self) -> dict[str, list[Path]]:
        """The current file of every partitioned table, for every source (one snapshot)."""
        files: dict[str, list[Path]] = {table: [] for table in PARTITIONED_TABLES}
        for folder, manifest in self.manifests():
            for table, relative in manifest["tables"].items():
                files.setdefault(table, []).append(folder / relative)
        return files

    # -- writes ------------------------------------------------------------------------------
    @contextmanager
    def _source_lock(self, folder: Path) -> Iterator[None]:
        with open(folder / ".lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def commit(self, staged: StagedPartition) -> None:
        folder = self.source_dir(staged.source)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with self._source_lock(folder):
                manifest = self._read_manifest(folder)
                replaced = self._write_commit(staged, folder, manifest)
        except STORAGE_ERRORS as exc:
            raise WarehouseError(f"cannot write partition {staged.source!r} under {self.root}: {exc}") from exc
        for relative in replaced:  # start their grace period now
            os.utime(folder / Path(relative).parent)
        self._collect_garbage(folder)

    def _write_commit(self, staged: StagedPartition, folder: Path, manifest: dict) -> list[str]:
        commit_dir = folder / f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{uuid.uuid4().hex[:8]}"
        commit_dir.mkdir()
        con, tables = staged.con, manifest.setdefault("tables", {})
        replaced = []
        for table in staged.tables:
            name = sql_identifier(table)
            previous, key = tables.get(table), staged.keeps.get(table)
            if key and previous:
                con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM read_parquet({sql_literal(str(folder / previous))}) "
                            f"WHERE {sql_identifier(key)} IN (SELECT value FROM {sql_identifier(keep_table(table))})")
            target = commit_dir / f"{table}.parquet"
            con.execute(f"COPY (SELECT * FROM {name}) TO {sql_literal(str(target))} (FORMAT parquet, COMPRESSION zstd)")
            _fsync(target)
            if previous:
                replaced.append(previous)
            tables[table] = f"{commit_dir.name}/{table}.parquet"
        manifest["source"] = staged.source
        write_atomically(folder / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))  # the commit point
        _fsync(folder)
        return replaced

    def _collect_garbage(self, folder: Path) -> None:
        live = {Path(relative).parent.name for relative in self._read_manifest(folder)["tables"].values()}
        cutoff = time.time() - self.grace_seconds
        for entry in folder.iterdir():
            if entry.is_dir() and entry.name not in live and entry.stat().st_mtime < cutoff:
                shutil.rmtree(entry, ignore_errors=True)

    # -- reads -------------------------------------------------------------------------------
    def connect(self) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB connection where each partitioned table is a view over the
        current files of every source (an empty table of the schema when there are none)."""
        con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT})
        con.execute(load_sql("schema"))
        for table, files in self.table_files().items():
            if files:
                con.execute(f"DROP TABLE {sql_identifier(table)}")
                con.execute(f"CREATE VIEW {sql_identifier(table)} AS SELECT * FROM {parquet_scan(files)}")
        return con

    def query_df(self, sql: str, params: list | None = None, read_only: bool = False) -> pd.DataFrame:
        con = self.connect()
        try:
            return con.execute(sql, params or []).df()
        finally:
            con.close()
