"""Which Dagster instance a `demarche run` records into.

The rule: $DAGSTER_HOME when it is set; else the checkout's dagster_home/ for the default
warehouse (data/warehouse.duckdb, the one `dagster dev` shows); else an instance beside the
warehouse, <warehouse stem>.dagster_home/. A scratch run on another warehouse then never adds
runs or partitions to the instance that describes the default one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from dagster import DagsterInstance

from pipeline.paths import REPO_ROOT, default_warehouse

DEFAULT_DAGSTER_HOME = REPO_ROOT / "dagster_home"
# The shipped instance settings (the warehouse pool's limit, telemetry and the welcome dialog off).
SETTINGS = DEFAULT_DAGSTER_HOME / "dagster.yaml"


def dagster_home_for(db_path: Path) -> Path:
    """Where runs on this warehouse are recorded (see the module's rule)."""
    if os.environ.get("DAGSTER_HOME"):
        return Path(os.environ["DAGSTER_HOME"])
    if Path(db_path).resolve() == default_warehouse().resolve():
        return DEFAULT_DAGSTER_HOME
    db = Path(db_path).resolve()
    return db.with_name(f"{db.stem}.dagster_home")


def instance_for(db_path: Path) -> DagsterInstance:
    """The persistent instance of this warehouse, created with the shipped settings if new."""
    home = dagster_home_for(db_path)
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists() and SETTINGS.exists():
        shutil.copyfile(SETTINGS, home / "dagster.yaml")
    return DagsterInstance.from_config(str(home))
