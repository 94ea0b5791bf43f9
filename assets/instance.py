"""Which Dagster instance a `demarche run` records into, and setting it up safely.

The rule: $DAGSTER_HOME when it is set; else the checkout's dagster_home/ for the default
warehouse (data/warehouse.duckdb, the one `dagster dev` shows); else an instance beside the
warehouse, <warehouse stem>.dagster_home/. A scratch run on another warehouse then never adds
runs or partitions to the instance that describes the default one.

Several `demarche run` may start at once on a new instance: creating the instance's tables and
registering partitions happen one process at a time, under a lock file in the instance's folder
(otherwise one of them fails with "table runs already exists" or "UNIQUE constraint failed:
dynamic_partitions"). The sources sensor of a running `dagster dev` registers partitions without
that lock: a partition it added meanwhile is not an error either.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from dagster import DagsterInstance
from sqlalchemy.exc import IntegrityError

from assets.partitions import sources_partitions
from pipeline.paths import REPO_ROOT, default_warehouse

DEFAULT_DAGSTER_HOME = REPO_ROOT / "dagster_home"
# The shipped instance settings (the warehouse pool's limit, run monitoring, telemetry and the
# welcome dialog off).
SETTINGS = DEFAULT_DAGSTER_HOME / "dagster.yaml"
INIT_LOCK = ".demarche-init.lock"


def dagster_home_for(db_path: Path) -> Path:
    """Where runs on this warehouse are recorded (see the module's rule)."""
    if os.environ.get("DAGSTER_HOME"):
        return Path(os.environ["DAGSTER_HOME"])
    if Path(db_path).resolve() == default_warehouse().resolve():
        return DEFAULT_DAGSTER_HOME
    db = Path(db_path).resolve()
    return db.with_name(f"{db.stem}.dagster_home")


@contextmanager
def instance_setup_lock(home: Path) -> Iterator[None]:
    """One process at a time creates the instance's tables or registers partitions."""
    home.mkdir(parents=True, exist_ok=True)
    with open(home / INIT_LOCK, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def instance_for(db_path: Path) -> DagsterInstance:
    """The persistent instance of this warehouse, created with the shipped settings if new."""
    home = dagster_home_for(db_path)
    with instance_setup_lock(home):
        if not (home / "dagster.yaml").exists() and SETTINGS.exists():
            shutil.copyfile(SETTINGS, home / "dagster.yaml")
        return DagsterInstance.from_config(str(home))


def project_instance() -> DagsterInstance:
    """The instance of the default warehouse ($DAGSTER_HOME, else dagster_home/)."""
    return instance_for(default_warehouse())


def register_sources(instance: DagsterInstance, names: list[str], log: Callable[[str], None]) -> None:
    """Add a partition for each source not registered yet. Another process (a second run, the
    sources sensor) may add the same ones meanwhile: that is not an error."""
    with instance_setup_lock(Path(instance.root_directory)):
        known = set(instance.get_dynamic_partitions(sources_partitions.name))
        new = [name for name in names if name not in known]
        if not new:
            return
        try:
            instance.add_dynamic_partitions(sources_partitions.name, new)
        except IntegrityError:  # the sources sensor (not under this lock) added some just now
            missing = set(new) - set(instance.get_dynamic_partitions(sources_partitions.name))
            if missing:
                raise
    log(f"registered {len(new)} new source partition(s): {', '.join(new)}")
