"""The project's persistent Dagster instance (DAGSTER_HOME, default dagster_home/), the one
`dagster dev` also uses, so that `demarche run`'s runs show up in the UI.

Several `demarche run` may start at once on a new instance: creating the instance's tables and
registering partitions happen one process at a time, under a lock file in DAGSTER_HOME
(otherwise one of them fails with "table runs already exists" or "UNIQUE constraint failed:
dynamic_partitions"). The sources sensor of a running `dagster dev` registers partitions without
that lock: a partition it added meanwhile is not an error either.
"""

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from dagster import DagsterInstance
from sqlalchemy.exc import IntegrityError

from assets.partitions import sources_partitions
from pipeline.paths import REPO_ROOT

DEFAULT_DAGSTER_HOME = REPO_ROOT / "dagster_home"
INIT_LOCK = ".demarche-init.lock"


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


def project_instance() -> DagsterInstance:
    """The instance of $DAGSTER_HOME (default dagster_home/), created safely."""
    home = Path(os.environ.get("DAGSTER_HOME") or DEFAULT_DAGSTER_HOME)
    home.mkdir(parents=True, exist_ok=True)
    os.environ["DAGSTER_HOME"] = str(home)
    with instance_setup_lock(home):
        return DagsterInstance.get()


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
