"""Raw pages stored once, addressed by the sha256 of their bytes: <root>/ab/<sha256>.gz.

Downstream stages read pages from here, never from the network, so re-materializing
articles or backfilling never fetches again. Writes are atomic (temp file + rename), so a
crashed run leaves no half-written blob behind.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path

from pipeline.paths import DATA_DIR
from pipeline.storage.atomic import write_atomically

BLOBS_ENV = "DEMARCHE_BLOBS"


class BlobMissing(FileNotFoundError):
    pass


class BlobCorrupt(ValueError):
    pass


def default_blob_dir(warehouse_path: Path | str | None = None) -> Path:
    """$DEMARCHE_BLOBS, else blobs/ beside the warehouse file (data/blobs/ by default)."""
    if os.environ.get(BLOBS_ENV):
        return Path(os.environ[BLOBS_ENV]).expanduser().resolve()
    return (Path(warehouse_path).resolve().parent if warehouse_path else DATA_DIR) / "blobs"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class BlobStore:
    def __init__(self, root: Path | str):
        self.root = Path(root)

    def path(self, content_hash: str) -> Path:
        if len(content_hash) != 64 or not all(c in "0123456789abcdef" for c in content_hash):
            raise ValueError(f"not a sha256 hex digest: {content_hash!r}")
        return self.root / content_hash[:2] / f"{content_hash}.gz"

    def has(self, content_hash: str | None) -> bool:
        return bool(content_hash) and self.path(content_hash).is_file()

    def put(self, data: bytes) -> str:
        content_hash = sha256_hex(data)
        target = self.path(content_hash)
        if target.is_file():
            return content_hash
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, gzip.compress(data, mtime=0))
        return content_hash

    def get(self, content_hash: str) -> bytes:
        path = self.path(content_hash)
        try:
            data = gzip.decompress(path.read_bytes())
        except FileNotFoundError:
            raise BlobMissing(f"no blob {content_hash} in {self.root}") from None
        if sha256_hex(data) != content_hash:
            raise BlobCorrupt(f"blob {path} does not match its hash")
        return data
