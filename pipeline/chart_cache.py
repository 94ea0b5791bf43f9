"""Mart charts kept by content: drawing a chart is most of a mart step's time, and a re-run
with nothing new gives the same rows, so a chart is drawn again only when its mart's rows or
the drawing code changed. Files are named <mart>-<hash>.png in one folder; a failed read or
write just means drawing again."""

from __future__ import annotations

import hashlib
import logging
import re
from functools import lru_cache
from pathlib import Path

import matplotlib
import pandas as pd

from pipeline import charts
from pipeline.storage.atomic import write_atomically

log = logging.getLogger(__name__)
_UNSAFE = re.compile(r"[^A-Za-z0-9_]+")


@lru_cache(maxsize=1)
def _code_version() -> bytes:
    return Path(charts.__file__).read_bytes() + matplotlib.__version__.encode()


def chart_key(name: str, frame: pd.DataFrame) -> str:
    h = hashlib.sha256(_code_version())
    for part in (name, frame.to_csv(index=False)):
        h.update(len(part).to_bytes(8, "little") + part.encode("utf-8"))
    return h.hexdigest()[:20]


def mart_chart_cached(name: str, frame: pd.DataFrame, folder: Path) -> bytes:
    """charts.mart_chart(name, frame), from `folder` when it was drawn before."""
    stem = _UNSAFE.sub("_", name)
    path = folder / f"{stem}-{chart_key(name, frame)}.png"
    try:
        return path.read_bytes()
    except OSError:
        pass
    png = charts.mart_chart(name, frame)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(path, png)
        for old in folder.glob(f"{stem}-*.png"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:  # a read-only or full disk: the chart is still shown, just not kept
        log.warning("could not keep the chart of %s in %s: %s", name, folder, exc)
    return png
