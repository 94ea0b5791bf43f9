"""The corrections file on disk: read with a fallback to the last good set, so that a file
that cannot be read never loses corrections, and appended to atomically by `demarche review`
(text appended, so the analysts' comments and order stay as written)."""

from __future__ import annotations

import fcntl
import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from pipeline.corrections.model import Correction, CorrectionsError
from pipeline.corrections.parse import parse_corrections
from pipeline.storage.atomic import write_atomically

HEADER = """\
# Analysts' corrections to the extracted record (README: "Correcting the record").
# Applied on every run after extraction, before incidents and marts. Each entry is keyed
# by the article's URI and the evidence text, never by an id a new extractor may change.
# Write them with `demarche review ...` or by hand; a bad entry keeps the last good set in force.
corrections:
"""
MISSING = "missing"


@dataclass
class LoadedCorrections:
    corrections: list[Correction]
    text: str | None  # the text those corrections were parsed from: the next last good set
    file_sha256: str  # of the file as it is now ("missing" when there is none)
    error: str | None = None  # why the file is unusable; then `corrections` is the last good set

    @property
    def from_last_good(self) -> bool:
        return self.error is not None


def file_sha256(path: Path | str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError as exc:
        return _unread_sha(exc)


def _unread_sha(exc: OSError) -> str:
    """file_sha256's stand-in for a file that could not be read."""
    return MISSING if isinstance(exc, FileNotFoundError) else f"unreadable: {exc.strerror or exc}"


def _last_good(last_good_text: str | None) -> list[Correction]:
    try:
        return parse_corrections(last_good_text) if last_good_text else []
    except CorrectionsError:  # valid when stored; only a changed gazetteer makes it invalid
        return []


def read_corrections(path: Path | str, last_good_text: str | None = None) -> LoadedCorrections:
    """The file's corrections, or, when it cannot be used, the last good set with the error."""
    path = Path(path)

    def fallback(sha: str, error: str) -> LoadedCorrections:
        return LoadedCorrections(_last_good(last_good_text), last_good_text, sha, error)

    try:
        data = path.read_bytes()  # read once: the hash and the parsed text are of one version
    except FileNotFoundError:
        previous = _last_good(last_good_text)
        if previous:
            return LoadedCorrections(previous, last_good_text, MISSING, f"corrections file {path} is missing; "
                                     f"keeping the {len(previous)} corrections of the last good version")
        return LoadedCorrections([], None, MISSING)
    except OSError as exc:
        return fallback(_unread_sha(exc), f"cannot read corrections file {path}: {exc}")
    sha = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return fallback(sha, f"cannot read corrections file {path}: {exc}")
    try:
        return LoadedCorrections(parse_corrections(text), text, sha)
    except CorrectionsError as exc:
        return fallback(sha, f"corrections file {path}: {exc}")


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One writer of the corrections file at a time (two `demarche review` at once)."""
    lock = path.with_name(path.name + ".lock")
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _entry_yaml(entry: dict) -> str:
    block = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=100)
    return "".join("  " + line for line in block.splitlines(keepends=True))


def _appended(text: str, entry: dict) -> str:
    """The text with the entry added at the end of its `corrections:` list."""
    if not re.search(r"^corrections:", text, flags=re.M):
        text = text + ("" if not text or text.endswith("\n") else "\n") + "corrections:\n"
    text = re.sub(r"^corrections:\s*\[\s*\]", "corrections:", text, count=1, flags=re.M)
    if not text.endswith("\n"):
        text += "\n"
    return text + _entry_yaml(entry)


def append_correction(path: Path | str, entry: dict) -> Correction:
    """Add one entry (validated) to the file, or raise CorrectionsError and write nothing."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path):
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except FileNotFoundError:
            text = HEADER
        except (OSError, UnicodeDecodeError) as exc:
            raise CorrectionsError(f"cannot read {path} ({exc}); nothing written") from None
        try:
            existing = parse_corrections(text)
        except CorrectionsError as exc:
            raise CorrectionsError(f"{path} is unusable, fix it first (nothing written): {exc}") from None
        new_text = _appended(text, entry)
        try:
            updated = parse_corrections(new_text)
        except CorrectionsError as exc:
            raise CorrectionsError(f"the new correction is invalid (nothing written): {exc}") from None
        if updated[:-1] != existing:  # the file's layout defeated the append: never write that
            entries = (yaml.safe_load(text) or {}).get("corrections") or []
            new_text = HEADER + "".join(_entry_yaml(e) for e in [*entries, entry])
            updated = parse_corrections(new_text)
        write_atomically(path, new_text)
        return updated[-1]
