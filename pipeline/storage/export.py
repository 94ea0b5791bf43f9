"""Writing public tables to files (CSV or Parquet), one file per table, with DuckDB's COPY."""

from __future__ import annotations

from pathlib import Path

import duckdb

FORMATS = {"csv": "(FORMAT csv, HEADER true)", "parquet": "(FORMAT parquet)"}


def export_tables(con: duckdb.DuckDBPyConnection, tables: list[str], folder: Path, fmt: str) -> dict[str, int]:
    """Write each table (or view) to folder/<table>.<fmt>; return the rows written per table."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    folder.mkdir(parents=True, exist_ok=True)
    known = {row[0] for row in con.execute(
        "SELECT table_name FROM duckdb_tables() UNION SELECT view_name FROM duckdb_views()").fetchall()}
    written = {}
    for table in tables:
        if table not in known:
            raise ValueError(f"the warehouse has no table {table!r}; run the pipeline first")
        path = str(folder / f"{table}.{fmt}").replace("'", "''")
        # COPY returns the number of rows it wrote.
        written[table] = con.execute(f"COPY \"{table}\" TO '{path}' {FORMATS[fmt]}").fetchone()[0]
    return written
