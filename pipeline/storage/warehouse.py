"""The DuckDB warehouse file: short-lived connections, whole-partition replacement in one
transaction, bulk loads from DataFrames.

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

from pipeline.storage.export import export_tables
from pipeline.storage.publish import copy_database, published_path_for
from pipeline.storage.sqlfiles import load_sql

log = logging.getLogger(__name__)

LOCK_MARKERS = ("Could not set lock", "Conflicting lock", "database is locked")


class WarehouseError(RuntimeError):
    """The warehouse cannot be used (locked too long, read-only, disk full...)."""


class Warehouse:
    def __init__(self, path: Path | str, lock_timeout_s: float = 300.0):
        self.path = Path(path)
        self.lock_timeout_s = lock_timeout_s

    # -- connections -------------------------------------------------------------------
    def _open(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.lock_timeout_s
        delay = 0.05
        while True:
            try:
                if not read_only:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                return duckdb.connect(str(self.path), read_only=read_only)
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
        finally:
            con.close()

    # -- schema and SQL files ----------------------------------------------------------
    def ensure_schema(self, con: duckdb.DuckDBPyConnection | None = None) -> None:
        if con is None:
            with self.connect() as own:
                own.execute(load_sql("schema"))
        else:
            con.execute(load_sql("schema"))

    def run_sql_file(self, name: str) -> None:
        with self.connect() as con:
            con.execute(load_sql(name))

    # -- writes ----------------------------------------------------------------------------
    def replace_source_rows(self, source: str, frames: Mapping[str, pd.DataFrame]) -> None:
        """Replace every row of `source` in each table with the frame's rows, atomically:
        readers see the old partition or the new one, never a mix."""
        with self.connect() as con:
            self.ensure_schema(con)
            con.execute("BEGIN TRANSACTION")
            try:
                for table, frame in frames.items():
                    self._check_table(con, table)
                    con.execute(f'DELETE FROM "{table}" WHERE source = ?', [source])
                    self._bulk_insert(con, table, frame)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise

    def replace_tables(self, frames: Mapping[str, pd.DataFrame]) -> None:
        """Replace the whole content of unpartitioned tables, atomically."""
        with self.connect() as con:
            self.ensure_schema(con)
            con.execute("BEGIN TRANSACTION")
            try:
                for table, frame in frames.items():
                    self._check_table(con, table)
                    con.execute(f'DELETE FROM "{table}"')
                    self._bulk_insert(con, table, frame)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise

    @staticmethod
    def _check_table(con: duckdb.DuckDBPyConnection, table: str) -> None:
        # Table names come from code, never from users; still refuse anything unexpected.
        known = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if table not in known:
            raise WarehouseError(f"unknown table {table!r}")

    @staticmethod
    def _bulk_insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        con.register("_incoming", frame)
        try:
            columns = ", ".join(f'"{c}"' for c in frame.columns)
            con.execute(f'INSERT INTO "{table}" ({columns}) SELECT {columns} FROM _incoming')
        finally:
            con.unregister("_incoming")

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
