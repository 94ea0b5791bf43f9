"""Moving pandas DataFrames into DuckDB tables, and quoting what must be quoted into SQL."""

from __future__ import annotations

import duckdb
import pandas as pd

from pipeline.storage.errors import UnknownTableError


def sql_literal(text: str) -> str:
    """A string as a SQL literal, for the places DuckDB takes no parameter (ATTACH, COPY TO)."""
    return "'" + text.replace("'", "''") + "'"


def sql_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_columns(con: duckdb.DuckDBPyConnection, table: str, database: str | None = None) -> list[str]:
    """The table's columns in order; UnknownTableError when the schema has no such table."""
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND schema_name = 'main' "
        "AND database_name = coalesce(?, current_database()) ORDER BY column_index", [table, database]).fetchall()
    if not rows:
        raise UnknownTableError(f"unknown table {table!r}")
    return [row[0] for row in rows]


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """INSERT the frame's rows into `table`, matching columns by name (the frame may leave some out)."""
    if frame.empty:
        return
    known = set(table_columns(con, table))
    unknown = [c for c in frame.columns if c not in known]
    if unknown:
        raise UnknownTableError(f"table {table!r} has no column(s) {unknown!r}")
    con.register("_incoming", frame)
    try:
        columns = ", ".join(sql_identifier(c) for c in frame.columns)
        con.execute(f"INSERT INTO {sql_identifier(table)} ({columns}) SELECT {columns} FROM _incoming")
    finally:
        try:
            con.unregister("_incoming")
        except duckdb.Error:
            pass  # the transaction failed: keep the error that made it fail


def parquet_scan(files) -> str:
    """SQL reading these Parquet files as one table (columns matched by name)."""
    return "read_parquet([" + ", ".join(sql_literal(str(f)) for f in files) + "], union_by_name = true)"
