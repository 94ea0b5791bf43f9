"""The DuckDB warehouse file: short-lived connections, whole-partition replacement in one
transaction from a staged partition (pipeline/storage/staging.py), bulk loads from DataFrames.

DuckDB allows one writing process at a time. Dagster serialises the project's writers
(the `duckdb_warehouse` pool, limit 1); anything else that holds the file (an analyst's
session, a second run started by hand) makes connect() wait and retry with backoff
instead of failing the run at once.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.storage.errors import STORAGE_ERRORS, WarehouseError, is_storage_error
from pipeline.storage.export import export_tables
from pipeline.storage.faults import fault_pause
from pipeline.storage.frames import insert_frame, parquet_scan, sql_identifier, sql_literal, table_columns
from pipeline.storage.partitions import PartitionStore
from pipeline.storage.publish import copy_database, published_path_for
from pipeline.storage.sqlfiles import load_sql
from pipeline.storage.staging import StagedPartition, keep_table

log = logging.getLogger(__name__)

LOCK_MARKERS = ("Could not set lock", "Conflicting lock", "database is locked")

# Test hook of the kill -9 tests: commit() and _replace_whole() call fault_pause(table) right
# after deleting the old rows, before inserting the new ones (pipeline/storage/faults.py).


# DuckDB's buffer pool per connection; its default (80 % of RAM) would let the cache of a
# large warehouse grow the run's memory with the data. Larger work spills to disk.
MEMORY_LIMIT = "512MB"


class Warehouse(PartitionStore):
    def __init__(self, path: Path | str, lock_timeout_s: float = 300.0):
        self.path = Path(path)
        self.lock_timeout_s = lock_timeout_s
        self.scratch_dir = self.path.parent / ".staging"
        self._schema_applied = False

    # -- connections -------------------------------------------------------------------
    def _open(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.lock_timeout_s
        delay = 0.05
        while True:
            try:
                if not read_only:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                return duckdb.connect(str(self.path), read_only=read_only, config={"memory_limit": MEMORY_LIMIT})
            except OSError as exc:  # the folder cannot be created (read-only, no permission)
                raise WarehouseError(f"cannot open warehouse {self.path}: {exc}") from exc
            except duckdb.IOException as exc:
                message = str(exc)
                if not any(marker in message for marker in LOCK_MARKERS):
                    raise WarehouseError(f"cannot open warehouse {self.path}: {message}") from exc
                if time.monotonic() > deadline:
                    raise WarehouseError(
                        f"warehouse {self.path} stayed locked by another process for "
                        f"{self.lock_timeout_s:.0f}s: {message}"
                    ) from exc
                log.info("warehouse %s is locked by another process; retrying in %.2fs", self.path, delay)
                time.sleep(delay * (1 + random.random()))
                delay = min(delay * 2, 2.0)

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        con = self._open(read_only)
        try:
            yield con
        except STORAGE_ERRORS as exc:
            if read_only or isinstance(exc, WarehouseError):
                raise
            raise WarehouseError(f"cannot write warehouse {self.path}: {exc}") from exc
        finally:
            try:
                con.close()  # may checkpoint, i.e. write
            except STORAGE_ERRORS as exc:
                log.warning("closing warehouse %s failed: %s", self.path, exc)

    @contextmanager
    def _transaction(self, con: duckdb.DuckDBPyConnection) -> Iterator[None]:
        """One transaction: committed whole, or rolled back whole. A failed COMMIT (disk
        full, read-only file) becomes a WarehouseError naming the file and the cause; the
        original error is never masked by a failing ROLLBACK."""
        con.execute("BEGIN TRANSACTION")
        try:
            yield
            con.execute("COMMIT")
        except BaseException as exc:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass  # no transaction left to roll back (COMMIT failed), or the connection is gone
            if is_storage_error(exc) and not isinstance(exc, WarehouseError):
                raise WarehouseError(f"cannot write warehouse {self.path}: {exc}") from exc
            raise

    # -- schema and SQL files ----------------------------------------------------------
    def ensure_schema(self, con: duckdb.DuckDBPyConnection | None = None) -> None:
        """Create or upgrade the tables and views, once per Warehouse object (the schema file
        rewrites a view, i.e. writes: not something to repeat before every query; the assets
        share one object per run, WarehouseResource.get)."""
        if self._schema_applied:
            return
        if con is None:
            with self.connect() as own:
                own.execute(load_sql("schema"))
        else:
            con.execute(load_sql("schema"))
        self._schema_applied = True

    def build_table(self, name: str, table: str) -> pd.DataFrame:
        """Run the SQL file `name`, which (re)creates `table`, and return the table's rows, in
        one connection (opening one costs about 20 ms)."""
        with self.connect() as con:
            self.ensure_schema(con)
            con.execute(load_sql(name))
            return con.execute(f"SELECT * FROM {sql_identifier(table)}").df()

    # -- writes ----------------------------------------------------------------------------
    def commit(self, staged: StagedPartition) -> None:
        """Swap the source's rows of every staged table for the staged ones (plus the rows it
        keeps), in one transaction: readers see the old partition or the new one, never a mix."""
        try:
            staged.close()  # checkpoints the staged rows into its file
        except STORAGE_ERRORS as exc:
            raise WarehouseError(f"cannot stage rows of source {staged.source!r} in {staged.path}: {exc}") from exc
        with self.connect() as con:
            self.ensure_schema(con)
            con.execute(f"ATTACH {sql_literal(str(staged.path))} AS staged (READ_ONLY)")
            try:
                with self._transaction(con):
                    for table in staged.tables:
                        self._replace_from_staged(con, staged, table)
            finally:
                con.execute("DETACH staged")

    @staticmethod
    def _replace_from_staged(con: duckdb.DuckDBPyConnection, staged: StagedPartition, table: str) -> None:
        target = sql_identifier(table)
        key = staged.keeps.get(table)
        if key:
            kept = f"staged.{sql_identifier(keep_table(table))}"
            con.execute(f"DELETE FROM {target} WHERE source = ? AND {sql_identifier(key)} NOT IN "
                        f"(SELECT value FROM {kept})", [staged.source])
        else:
            con.execute(f"DELETE FROM {target} WHERE source = ?", [staged.source])
        fault_pause(table)
        columns = ", ".join(sql_identifier(c) for c in table_columns(con, table, "staged"))
        con.execute(f"INSERT INTO {target} ({columns}) SELECT {columns} FROM staged.{target}")

    def load_partitions(self, files: Mapping[str, list[Path]]) -> None:
        """Make the per-source tables exactly the given Parquet files' rows (a snapshot of a
        ParquetStore), in one transaction."""
        def fill(con, table, paths):
            if paths:
                con.execute(f"INSERT INTO {sql_identifier(table)} BY NAME SELECT * FROM {parquet_scan(paths)}")
        self._replace_whole(files, fill)

    def replace_tables(self, frames: Mapping[str, pd.DataFrame]) -> None:
        """Replace the whole content of unpartitioned tables, atomically."""
        self._replace_whole(frames, insert_frame)

    def _replace_whole(self, contents: Mapping, fill) -> None:
        """Empty each table and `fill(con, table, content)` it again, all in one transaction."""
        with self.connect() as con:
            self.ensure_schema(con)
            with self._transaction(con):
                for table, content in contents.items():
                    table_columns(con, table)  # refuse a table the schema does not have
                    con.execute(f"DELETE FROM {sql_identifier(table)}")
                    fault_pause(table)
                    fill(con, table, content)

    # -- reads -----------------------------------------------------------------------------
    def query_df(self, sql: str, params: list | None = None, read_only: bool = False) -> pd.DataFrame:
        with self.connect(read_only=read_only) as con:
            if not read_only:
                self.ensure_schema(con)
            return con.execute(sql, params or []).df()

    # -- copies for analysts -----------------------------------------------------------
    @property
    def published_path(self) -> Path:
        """Where publish_copy() writes by default: data/warehouse.published.duckdb."""
        return published_path_for(self.path)

    def publish_copy(self, dest: Path | str | None = None) -> Path:
        """Publish a consistent read-only copy that analysts can open while runs write this
        file (see pipeline/storage/publish.py). Returns the copy's path."""
        with self.connect() as con:  # a write connection: no other writer until the copy is done
            self.ensure_schema(con)
            return copy_database(con, Path(dest) if dest else self.published_path)

    def export(self, tables: list[str], folder: Path | str, fmt: str) -> dict[str, int]:
        """Write each table to folder/<table>.<fmt> (csv | parquet); rows written per table."""
        with self.connect(read_only=True) as con:
            return export_tables(con, tables, Path(folder), fmt)
