"""Test hook for kill -9 tests (tests/test_faults.py, tests/test_unattended.py, tests/test_dead_runs.py).

When DEMARCHE_FAULT_PAUSE_IN_WRITE names a fault point, the process that reaches it writes
its pid to the file named by DEMARCHE_FAULT_MARKER and sleeps, so that a test can kill -9 it
there. It pauses once: a process that finds the marker already written goes on, so a re-run
or a later run in the same environment (a `dagster dev` under test) is not caught again.

Fault points: a table name, right after a write deleted the partition's (or the whole
table's) old rows and before the new ones are in (Warehouse.commit, Warehouse.replace_tables);
`staged:<table>`, right after a first batch of the table was staged (mid-stage, before any
commit). Unset, as always outside those tests, it costs one dictionary lookup.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

FAULT_PAUSE_ENV = "DEMARCHE_FAULT_PAUSE_IN_WRITE"
FAULT_MARKER_ENV = "DEMARCHE_FAULT_MARKER"


def fault_pause(point: str) -> None:
    if os.environ.get(FAULT_PAUSE_ENV) != point:
        return
    marker = os.environ.get(FAULT_MARKER_ENV)
    if marker:
        if Path(marker).exists():
            return
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(600)
