"""Replace a file's content all at once: a reader (or a process killed mid-write) sees the
old file or the new one, never half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes | str) -> None:
    """Write `data` (text is UTF-8) to a unique temp file beside `path`, flush it to disk,
    then rename it over `path`. The temp file is removed if anything fails."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    # Same folder as path, so that os.replace is a rename on one filesystem.
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
