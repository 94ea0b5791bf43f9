"""Where the project's files live. The project is installed editable, so the repository
root is two levels above this file; each default can be overridden by an environment
variable for deployments that move things around."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def _env_path(var: str, default: Path) -> Path:
    value = os.environ.get(var)
    return Path(value).expanduser().resolve() if value else default


SQL_DIR = _env_path("DEMARCHE_SQL_DIR", REPO_ROOT / "sql")
DATA_DIR = _env_path("DEMARCHE_DATA_DIR", REPO_ROOT / "data")
GAZETTEER_DIR = _env_path("DEMARCHE_GAZETTEER_DIR", DATA_DIR / "gazetteer")


def default_sources_file() -> Path:
    return _env_path("DEMARCHE_SOURCES", DATA_DIR / "sources.yaml")


def default_warehouse() -> Path:
    return _env_path("DEMARCHE_DB", DATA_DIR / "warehouse.duckdb")


def default_corrections_file() -> Path:
    return _env_path("DEMARCHE_CORRECTIONS", DATA_DIR / "corrections.yaml")
