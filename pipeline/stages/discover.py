"""Discovery: every input of a source (a file, a fetched page), with its content hash."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from pipeline.fetch import HISTORY_SQL, BlobStore, FetchHistory, records_frame
from pipeline.ingest import RawDocument, list_documents, list_web_documents
from pipeline.ingest.documents import KnownFile
from pipeline.sources_file import SourceSpec
from pipeline.storage import PartitionStore
from pipeline.stages.common import RAW_COLUMNS, utc_now


def _raw_frame(documents: list[RawDocument]) -> pd.DataFrame:
    now = utc_now()
    rows = [
        {"source": d.source, "uri": d.uri, "content_hash": d.content_hash, "n_bytes": d.n_bytes,
         "read_error": d.read_error, "fetch_outcome": d.fetch_outcome, "charset": d.charset,
         "file_size": d.file_size, "file_mtime_ns": d.file_mtime_ns, "discovered_at": now}
        for d in documents
    ]
    return pd.DataFrame(rows, columns=RAW_COLUMNS)


def discover_raw(spec: SourceSpec, previous: pd.DataFrame | None = None, workers: int = 1) -> pd.DataFrame:
    """Every input of a folder source, readable or not. `previous`: the source's raw rows of
    the last discovery; files whose size and modification time are unchanged keep their hash."""
    known = {}
    if previous is not None:
        usable = previous.dropna(subset=["content_hash", "file_size", "file_mtime_ns"])
        known = {row.uri: KnownFile(int(row.file_size), int(row.file_mtime_ns), row.content_hash, int(row.n_bytes))
                 for row in usable.itertuples(index=False)}
    return _raw_frame(list_documents(spec, known, workers))


def fetch_history(warehouse) -> FetchHistory:
    """What earlier runs fetched, from the warehouse's fetch_log."""
    return FetchHistory.from_frame(warehouse.query_df(HISTORY_SQL))


def discover_web(spec: SourceSpec, history: FetchHistory, blobs: BlobStore, store: PartitionStore | None = None,
                 log: Callable[[str], None] = lambda _: None) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """A web source's pages -> (raw rows, the source's fetch_log rows, failed or cut-short listings).
    With a `store`, fetch_log is also written there as fetches happen, so a stopped run resumes."""
    def checkpoint(records):
        store.replace_source_rows(spec.name, {"fetch_log": records_frame(records)})

    inputs = list_web_documents(spec, history, blobs, log=log, checkpoint=checkpoint if store is not None else None)
    return _raw_frame(inputs.documents), records_frame(inputs.log), len(inputs.listing_failures)


