"""Listing a folder source safely: every name that looks like an input becomes either a file
to read (inside the folder, listed once) or a refusal with a reason. Nothing is skipped
silently and nothing outside the folder is ever read.

The walk never follows a link: a symbolic link is judged by where it resolves. A link out of
the folder (to /etc/passwd, to /) is refused, a dangling link and a link loop are refused,
and a link to a file or folder inside is a second name for something already listed under
its own name (a `duplicate`). A folder that cannot be listed (no permission, a vanishing
/proc entry) is refused and the walk goes on. File names are kept as the bytes the file
system gave (os.fsencode/os.fsdecode), so a name that is not UTF-8 still reads back.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlparse

FOLDER_SUFFIXES = (".html", ".htm", ".txt")

# Rejection reasons decided while listing (the `rejected` table's `reason`).
OUTSIDE_FOLDER = "outside_folder"
DANGLING_LINK = "dangling_link"
LINK_LOOP = "link_loop"
UNLISTABLE = "unlistable"
NOT_A_FILE = "not_a_file"
DUPLICATE = "duplicate"


def is_input_name(name: str) -> bool:
    name = name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return name.endswith(FOLDER_SUFFIXES)


def file_uri(path: Path | str) -> str:
    """file:///absolute/path, percent-encoding the name's bytes (not UTF-8 ones too)."""
    return Path(path).as_uri()


def uri_path(uri: str) -> Path:
    """The path of a file:// URI, from its bytes: the inverse of file_uri for any name."""
    return Path(os.fsdecode(unquote_to_bytes(urlparse(uri).path)))


def shown(path: Path | str) -> str:
    """A path for a message or a table cell: bytes that are not UTF-8 shown as \\xNN escapes
    (a name decoded with surrogateescape cannot be stored as text)."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


@dataclass(frozen=True)
class Listed:
    """One input name of the folder: `path` to read, or `reason` and `detail` why not."""
    uri: str
    path: Path | None = None
    reason: str | None = None
    detail: str | None = None


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _judge_link(link: Path, root: str, is_input: bool) -> Listed | Path | None:
    """A symbolic link: its refusal, the real path of the input file it names, or None when it
    names nothing that would be an input (a link `notes` to a file outside)."""
    def refused(reason: str, why: str) -> Listed:
        return Listed(file_uri(link), reason=reason, detail=why)

    try:
        target = os.stat(link)  # follows the link
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return refused(LINK_LOOP, f"the link {shown(link)} loops ({os.readlink(link)!r})")
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return refused(DANGLING_LINK, f"the link {shown(link)} points to {shown(os.readlink(link))}, "
                           "which does not exist")
        # Permission denied and the like: refused if it was meant as an input (a /proc full of
        # process links would otherwise be a row each).
        return refused("unreadable", f"{type(exc).__name__}: {exc}") if is_input else None
    real = os.path.realpath(link)
    is_folder = stat.S_ISDIR(target.st_mode)
    if not _inside(real, root):
        if is_input or is_folder:
            return refused(OUTSIDE_FOLDER, f"the link {shown(link)} points to {shown(real)}, outside the source's folder")
        return None
    if is_folder:
        return refused(DUPLICATE, f"the link {shown(link)} is a second name for the folder {shown(real)}, "
                       "listed under its own name")
    return Path(real) if is_input else None


def _walk(root: Path) -> Iterator[Listed | tuple[Path, Path]]:
    """Refusals, and input files as (the name reached, the real path): not yet deduplicated."""
    root_text = str(root)
    seen_folders: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: os.fsencode(e.name), reverse=True)
        except OSError as exc:
            yield Listed(file_uri(folder), reason=UNLISTABLE, detail=f"cannot list the folder {shown(folder)}: "
                         f"{type(exc).__name__}: {exc.strerror or exc}")
            continue
        if (info.st_dev, info.st_ino) in seen_folders:  # a bind mount looping back
            yield Listed(file_uri(folder), reason=DUPLICATE, detail=f"the folder {shown(folder)} was listed already")
            continue
        seen_folders.add((info.st_dev, info.st_ino))
        for entry in entries:
            path = Path(entry.path)
            is_input = is_input_name(entry.name)
            try:
                if entry.is_symlink():
                    judged = _judge_link(path, root_text, is_input)
                    if isinstance(judged, Listed):
                        yield judged
                    elif judged is not None:
                        yield path, judged
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(path)
                elif is_input and entry.is_file(follow_symlinks=False):
                    yield path, path
                elif is_input:  # a FIFO, socket or device would block or never end
                    yield Listed(file_uri(path), reason=NOT_A_FILE, detail=f"{shown(path)} is not a regular file")
            except OSError as exc:  # the entry vanished or cannot be examined
                if is_input:
                    yield Listed(file_uri(path), reason="unreadable", detail=f"{type(exc).__name__}: {exc}")


def list_folder(root: Path) -> list[Listed]:
    """Every input name under `root` (resolved), in URI order. A file reached under several
    names (a link to it inside the folder) is read once, under its real path; the links are
    `duplicate` refusals naming it."""
    root = Path(os.path.realpath(root))
    listed: list[Listed] = []
    names: dict[Path, list[Path]] = {}  # real path -> the names it was reached by
    for item in _walk(root):
        if isinstance(item, Listed):
            listed.append(item)
        else:
            names.setdefault(item[1], []).append(item[0])
    for real, reached in names.items():
        listed.append(Listed(file_uri(real), path=real))
        for name in reached:
            if name != real:
                listed.append(Listed(file_uri(name), reason=DUPLICATE, detail=f"a second name for {file_uri(real)}"))
    return sorted(listed, key=lambda item: item.uri)
