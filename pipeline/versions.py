"""Versions of the code behind the stored rows, so that incremental re-runs reuse a row
only when the code (and data) that would recompute it is unchanged.

Each version is a short hash of a manual constant, the package's source files and the data
it reads, computed once per process."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import trafilatura

from pipeline import cleaning, dates, extraction, gazetteer, guards
from pipeline.paths import GAZETTEER_DIR


def _digest(parts: list[bytes]) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))  # length-prefixed: no two lists collide
        h.update(part)
    return h.hexdigest()[:16]


def _files(folder: Path, pattern: str) -> list[bytes]:
    """Each file's path below folder (its name, for a file directly in it) and bytes."""
    return [p.relative_to(folder).as_posix().encode() + b"\0" + p.read_bytes()
            for p in sorted(folder.glob(pattern)) if p.is_file()]


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """EXTRACTOR_VERSION + the sources of extraction and of what it reads (dates, gazetteer,
    word guards) + the gazetteer files."""
    sources = [*_package_files(extraction), *_package_files(dates), *_package_files(gazetteer), *_guards()]
    return _digest([extraction.EXTRACTOR_VERSION.encode(), *sources, *_files(GAZETTEER_DIR, "*.tsv")])


def _package_files(package) -> list[bytes]:
    """The package's sources, its subpackages' too (extraction/roles/)."""
    return _files(Path(package.__file__).parent, "**/*.py")


def _guards() -> list[bytes]:
    return _files(Path(guards.__file__).parent, "guards.py")


@lru_cache(maxsize=1)
def cleaner_version() -> str:
    """The cleaning package's sources (EXTRACT_OPTIONS among them) + trafilatura's version.
    Plain-text cleaning also uses the date rules (and their word guards)."""
    return _digest([trafilatura.__version__.encode(), *_package_files(cleaning), *_package_files(dates), *_guards()])
