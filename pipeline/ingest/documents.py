"""Raw documents: one per input of a source, with the bytes' hash so that later stages
can tell what changed. Folder sources are read in place; web sources (see fetch) keep
their pages in the content-addressed blob store."""

from __future__ import annotations

import gzip
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from pipeline.fetch.blobs import BlobStore
from pipeline.ingest import folder
from pipeline.ingest.folder import is_input_name, list_folder, shown, uri_path
from pipeline.parallel import WorkerPool
from pipeline.sources_file import SourceSpec

# A compressed input is read whole after decompression: cap it so a gzip bomb cannot
# take the machine down (it becomes a rejected input instead).
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
READ_CHUNK = 1024 * 1024


class DocumentTooLarge(ValueError):
    pass


# Reasons the folder listing refuses a name for (pipeline/ingest/folder.py); its read_error
# starts with the reason: "outside_folder: the link ... points to /etc/passwd, ...".
LISTING_REASONS = (folder.OUTSIDE_FOLDER, folder.DANGLING_LINK, folder.LINK_LOOP, folder.UNLISTABLE,
                   folder.NOT_A_FILE, folder.DUPLICATE)


def read_error_reason(read_error: str) -> str:
    """The rejection reason for a read error recorded at discovery ("<ExceptionName>: why",
    or "<listing reason>: why")."""
    prefix = read_error.split(":", 1)[0]
    if prefix in LISTING_REASONS:
        return prefix
    return "too_large" if prefix == DocumentTooLarge.__name__ else "unreadable"


@dataclass(frozen=True)
class RawDocument:
    source: str
    uri: str  # file:///absolute/path or https://...
    content_hash: str | None  # sha256 of the (decompressed) bytes; None when unreadable
    n_bytes: int
    read_error: str | None = None  # why the bytes could not be read, if they could not
    fetch_outcome: str | None = None  # web pages: fetch_log's outcome ('fetched', 'cached', 'http_error', ...)
    charset: str | None = None  # web pages: the charset the server declared, a decoding hint
    file_size: int | None = None  # folder inputs: the file's size and modification time on disk,
    file_mtime_ns: int | None = None  # which let the next discovery skip re-hashing an unchanged file


@dataclass(frozen=True)
class KnownFile:
    """What an earlier discovery recorded of a file: if its size and modification time are
    unchanged, so are its bytes (the rule git and make use), and their hash is reused."""
    file_size: int
    file_mtime_ns: int
    content_hash: str
    n_bytes: int


def is_folder_input(path: Path) -> bool:
    return path.is_file() and is_input_name(path.name)


def read_file_bytes(path: Path) -> bytes:
    # O_NOFOLLOW: a file swapped for a link after the listing judged it is refused (ELOOP),
    # not followed out of the folder. O_NONBLOCK: a FIFO put in its place does not hang.
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with open(fd, "rb") as raw:
        if path.name.lower().endswith(".gz"):
            with gzip.open(raw, "rb") as handle:
                data = _read_capped(handle, MAX_DOCUMENT_BYTES + 1)
        else:
            data = _read_capped(raw, MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentTooLarge(f"larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB")
    return data


def _read_capped(handle, limit: int) -> bytes:
    """handle.read(limit), in chunks: asked for 64 MiB at once, gzip's and a plain file's
    buffered reader allocate a buffer that large for every file, fresh memory from the kernel
    each time (0.61 ms to read a gzipped news page of the benchmark corpus, 0.46 ms in 1 MiB
    chunks; a 2 KB plain page 25 us, 10 us in chunks)."""
    chunks, size = [], 0
    while size < limit:
        chunk = handle.read(min(READ_CHUNK, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def read_bytes(uri: str, content_hash: str | None = None, blobs: BlobStore | None = None) -> bytes:
    """The bytes behind a document URI: file:// from disk, http(s) from the blob store by
    content hash (never from the network: pages are fetched once, at discovery)."""
    parsed = urlparse(uri)
    if parsed.scheme in ("http", "https"):
        if blobs is None or not content_hash:
            raise ValueError(f"cannot read {uri!r}: web pages are read from the blob store by content hash")
        return blobs.get(content_hash)
    if parsed.scheme != "file":
        raise ValueError(f"cannot read {uri!r}: not a file:// or http(s) URI")
    path = uri_path(uri)
    if os.path.realpath(path) != str(path):  # a folder on the way was swapped for a link since the listing
        raise OSError(f"{shown(path)} now resolves to {shown(os.path.realpath(path))}: not read")
    return read_file_bytes(path)


def _hash_file(task: tuple[str, str, Path]) -> RawDocument:
    """Read and hash one file (in a worker process when there are many)."""
    source, uri, path = task
    try:
        stat = path.stat()
        data = read_file_bytes(path)
    except (OSError, EOFError, DocumentTooLarge, gzip.BadGzipFile) as exc:
        return RawDocument(source, uri, None, 0, read_error=f"{type(exc).__name__}: {exc}")
    return RawDocument(source, uri, hashlib.sha256(data).hexdigest(), len(data),
                       file_size=stat.st_size, file_mtime_ns=stat.st_mtime_ns)


def _unchanged(source: str, uri: str, path: Path, before: KnownFile | None) -> RawDocument | None:
    """The earlier record of a file whose size and modification time are unchanged, else None."""
    if before is None:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None  # _hash_file records why
    if (before.file_size, before.file_mtime_ns) != (stat.st_size, stat.st_mtime_ns):
        return None
    return RawDocument(source, uri, before.content_hash, before.n_bytes,
                       file_size=stat.st_size, file_mtime_ns=stat.st_mtime_ns)


def _folder_documents(spec: SourceSpec, known: Mapping[str, KnownFile], workers: int) -> list[RawDocument]:
    assert spec.path is not None
    listed = list_folder(spec.path)
    documents = [_refused(spec.name, item) if item.path is None else _unchanged(spec.name, item.uri, item.path,
                                                                                  known.get(item.uri))
                 for item in listed]
    tasks = [(spec.name, item.uri, item.path) for item, doc in zip(listed, documents) if doc is None]
    with WorkerPool(workers, len(tasks)) as pool:
        hashed = pool.imap(_hash_file, tasks)
        return [doc if doc is not None else next(hashed) for doc in documents]


def _refused(source: str, item: folder.Listed) -> RawDocument:
    return RawDocument(source, item.uri, None, 0, read_error=f"{item.reason}: {item.detail}")


def list_documents(spec: SourceSpec, known: Mapping[str, KnownFile] | None = None,
                   workers: int = 1) -> list[RawDocument]:
    """Every input of a folder source, readable or not (unreadable ones carry read_error).
    `known`: what the previous discovery recorded, by URI (unchanged files are not read again);
    the others are read and hashed in `workers` processes."""
    if spec.kind == "folder":
        return _folder_documents(spec, known or {}, workers)
    raise ValueError(f"source kind {spec.kind!r} is fetched from the web: use pipeline.ingest.web.list_web_documents")
