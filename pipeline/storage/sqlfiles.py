"""SQL lives in sql/ as .sql files, loaded by name ("schema", "marts/protests_per_year")."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pipeline.paths import SQL_DIR


@lru_cache(maxsize=None)
def load_sql(name: str, sql_dir: Path = SQL_DIR) -> str:
    path = (sql_dir / f"{name}.sql").resolve()
    if sql_dir.resolve() not in path.parents:
        raise ValueError(f"SQL file name {name!r} leaves the sql directory")
    return path.read_text(encoding="utf-8")


def mart_names(sql_dir: Path = SQL_DIR) -> list[str]:
    return sorted(f"marts/{p.stem}" for p in (sql_dir / "marts").glob("*.sql"))
