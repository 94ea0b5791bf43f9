"""A read-only copy of the warehouse for analysts.

DuckDB refuses a read-only reader while another process writes the file, and a writer
while a reader holds it. So analysts never open the pipeline's file: after each marts run
the pipeline copies the whole database into a temp file next to the published one and
swaps it in with os.replace. A reader that has the old copy open keeps its (unlinked)
file until it reconnects; a new reader gets the new copy. Nobody waits for anybody.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from pipeline.storage.frames import sql_identifier, sql_literal

PUBLISHED_SUFFIX = ".published.duckdb"
_ALIAS = "published_copy"


def published_path_for(warehouse_path: Path) -> Path:
    """data/warehouse.duckdb -> data/warehouse.published.duckdb"""
    return warehouse_path.with_name(warehouse_path.stem + PUBLISHED_SUFFIX)


def copy_database(con: duckdb.DuckDBPyConnection, dest: Path) -> Path:
    """Copy every table and view of `con`'s database to `dest`, atomically replacing it.

    `con` must be a writable connection to the source: holding it keeps any other writer
    out, so the copy is one consistent state of the warehouse."""
    dest = Path(dest).resolve()
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Same directory as dest, so that os.replace is a rename on one filesystem.
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    _remove(tmp)
    # The database name comes from the warehouse's file name and the paths from the operator's
    # configuration: DuckDB takes no parameters here, so both are quoted (a `"` or `'` in a
    # file name must neither break the statement nor change it).
    source = con.execute("SELECT current_database()").fetchone()[0]
    try:
        con.execute(f"ATTACH {sql_literal(str(tmp))} AS {_ALIAS}")
        try:
            con.execute(f"COPY FROM DATABASE {sql_identifier(source)} TO {_ALIAS}")
        finally:
            con.execute(f"DETACH {_ALIAS}")  # closes tmp and checkpoints it: no WAL left
        os.replace(tmp, dest)
    finally:
        _remove(tmp)
    return dest


def _remove(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
