"""A partition's new rows, staged batch by batch before a store commits them in one step.

A source can hold hundreds of thousands of articles; holding all their texts in DataFrames
until one final write would make memory grow with the source. Stages append each batch to
a scratch DuckDB file on disk instead (typed by the warehouse schema, with a small memory
limit so DuckDB spills to that file), and a store then swaps the partition's rows for the
staged ones atomically (Warehouse.commit, ParquetStore.commit).

Rows an earlier run produced that are still valid (an input whose bytes did not change)
are not staged again: `keep(table, column, values)` names them, and the commit carries
them over from the store's current version of the partition.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.storage.errors import STORAGE_ERRORS, UnknownTableError, WarehouseError, is_storage_error
from pipeline.storage.frames import insert_frame, sql_identifier, table_columns
from pipeline.storage.sqlfiles import load_sql

# DuckDB's buffer pool for a staging file: beyond this it writes pages to the file.
STAGING_MEMORY_LIMIT = "256MB"


def keep_table(table: str) -> str:
    return f"_keep_{table}"


class StagedPartition:
    """New rows for some tables of one source (`tables`: the tables the commit replaces)."""

    def __init__(self, source: str, tables: Sequence[str], scratch_dir: Path | str | None = None):
        self.source = source
        self.tables = list(dict.fromkeys(tables))
        self.keeps: dict[str, str] = {}  # table -> the key column of the rows kept from the store
        self._con: duckdb.DuckDBPyConnection | None = None
        try:
            if scratch_dir is not None:
                Path(scratch_dir).mkdir(parents=True, exist_ok=True)
            self.dir = Path(tempfile.mkdtemp(prefix="staged-", dir=scratch_dir))
            self.path = self.dir / "partition.duckdb"
            self._con = duckdb.connect(str(self.path), config={"memory_limit": STAGING_MEMORY_LIMIT,
                                                                "preserve_insertion_order": False})
            self._con.execute(load_sql("schema"))
        except STORAGE_ERRORS as exc:  # a read-only or full disk
            self.discard()
            raise WarehouseError(f"cannot stage rows of source {source!r} in {scratch_dir}: {exc}") from exc
        for table in self.tables:
            table_columns(self._con, table)  # refuse a table the schema does not have

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise RuntimeError("the staged partition is closed")
        return self._con

    @contextmanager
    def _disk_errors(self, table: str) -> Iterator[None]:
        """A full or read-only scratch disk -> WarehouseError naming the file (DuckDB raises
        IOException, or TransactionException "Failed to commit" from an autocommitted insert)."""
        try:
            yield
        except (duckdb.Error, OSError) as exc:
            if not is_storage_error(exc):
                raise
            raise WarehouseError(f"cannot stage rows of {table!r} in {self.path}: {exc}") from exc

    def _check(self, table: str) -> None:
        if table not in self.tables:
            raise ValueError(f"table {table!r} is not staged for this commit ({self.tables})")

    def append(self, table: str, frame: pd.DataFrame) -> None:
        """Stage more new rows of `table` (each must belong to this source)."""
        self._check(table)
        with self._disk_errors(table):
            insert_frame(self.con, table, frame)  # refuses unknown columns first
        # An error here discards the whole staged partition, so the rows inserted do no harm.
        if not frame.empty and "source" in frame.columns and (frame["source"] != self.source).any():
            raise ValueError(f"rows of another source staged for {self.source!r} in {table!r}")

    def keep(self, table: str, column: str, values: Iterable[str]) -> None:
        """Carry over the store's current rows of `table` whose `column` is one of `values`."""
        self._check(table)
        if column not in table_columns(self.con, table):
            raise UnknownTableError(f"table {table!r} has no column {column!r}")
        name = sql_identifier(keep_table(table))
        self.con.execute(f"CREATE OR REPLACE TABLE {name} (value VARCHAR PRIMARY KEY)")
        frame = pd.DataFrame({"value": pd.Series(list(dict.fromkeys(values)), dtype=object)})
        with self._disk_errors(table):
            insert_frame(self.con, keep_table(table), frame)
        self.keeps[table] = column

    def staged_rows(self, table: str) -> int:
        return self.con.execute(f"SELECT count(*) FROM {sql_identifier(table)}").fetchone()[0]

    def close(self) -> None:
        """Close the scratch database (so that another connection may attach it)."""
        if self._con is not None:
            self._con.close()
            self._con = None

    def discard(self) -> None:
        try:
            self.close()
        except STORAGE_ERRORS:
            pass  # closing checkpoints: a full disk fails it, and the file is deleted anyway
        if hasattr(self, "dir"):
            shutil.rmtree(self.dir, ignore_errors=True)
