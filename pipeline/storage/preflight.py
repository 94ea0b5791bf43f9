"""Checking a warehouse path before a run, so a mistyped --db is one clear line, not a run
that fails deep inside Dagster (or one that quietly creates folders and an empty warehouse)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from pipeline.storage.errors import WarehouseError
from pipeline.storage.warehouse import LOCK_MARKERS


def check_warehouse_path(path: Path) -> str | None:
    """None when `path` is an existing DuckDB warehouse; a note ("a new warehouse will be
    created at ...") when it can be created; otherwise WarehouseError saying why not."""
    path = Path(path)
    if path.is_dir():
        raise WarehouseError(f"warehouse {path} is a folder, not a DuckDB file (give a file name, e.g. {path / 'warehouse.duckdb'})")
    if path.exists():
        _check_is_duckdb(path)
        return None
    parent = path.parent
    if not parent.is_dir():
        raise WarehouseError(f"warehouse {path}: the folder {parent} does not exist (create it, or check the path)")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise WarehouseError(f"warehouse {path}: cannot create a file in {parent} (read-only or no permission)")
    return f"creating a new warehouse at {path}"


def _check_is_duckdb(path: Path) -> None:
    try:
        duckdb.connect(str(path), read_only=True).close()
    except duckdb.Error as exc:
        if any(marker in str(exc) for marker in LOCK_MARKERS):
            return  # a warehouse another process is writing: the run waits for it
        raise WarehouseError(f"warehouse {path} cannot be opened: {exc}") from None
