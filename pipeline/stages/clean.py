"""Cleaning: raw inputs -> articles and rejected, in batches, reusing what an earlier run
cleaned from the same bytes with the same cleaner."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from pipeline.cleaning import CleanArticle, Rejection, clean_document
from pipeline.fetch import BlobStore
from pipeline.ingest import read_bytes
from pipeline.ingest.documents import DocumentTooLarge, read_error_reason
from pipeline.parallel import WorkerPool
from pipeline.progress import Progress
from pipeline.reuse import CleanedBefore, CleaningMemo, Duplicate
from pipeline.stages import common
from pipeline.stages.common import ARTICLE_COLUMNS, REJECTED_COLUMNS, stable_id, utc_now
from pipeline.versions import cleaner_version

FETCHED_OUTCOMES = ("fetched", "cached")


@dataclass
class CleanBatch:
    articles: pd.DataFrame  # new article rows
    rejected: pd.DataFrame
    kept: list[str]  # URIs whose earlier article row stays as it is (same bytes, same cleaner)


@dataclass
class CleanResult:
    articles: pd.DataFrame
    rejected: pd.DataFrame
    cleaned: int  # inputs run through the cleaner in this call
    reused: int  # inputs whose earlier result was reused (same bytes, same cleaner)


def _clean_task(task: tuple) -> tuple[str, CleanArticle | Rejection]:
    """One input, in a worker process: read its bytes there and clean them -> (stage, result)."""
    uri, content_hash, blobs, charset, today = task
    try:
        data = read_bytes(uri, content_hash, blobs)
    except DocumentTooLarge as exc:  # it grew past the cap since discovery
        return "read", Rejection("too_large", str(exc))
    except Exception as exc:  # the file vanished or changed between discovery and cleaning
        return "read", Rejection("unreadable", f"{type(exc).__name__}: {exc}")
    url = uri if uri.startswith("http") else None
    return "clean", clean_document(data, url=url, today=today, declared_charset=charset)


def _unreadable(row) -> tuple[str, Rejection] | None:
    """Inputs that never had bytes: failed fetches and read errors at discovery -> (stage, why)."""
    outcome = getattr(row, "fetch_outcome", None)
    error = row.read_error if isinstance(row.read_error, str) else None
    if isinstance(outcome, str) and outcome not in FETCHED_OUTCOMES:
        return "fetch", Rejection(outcome, error or outcome)
    if error or not isinstance(row.content_hash, str):
        return "read", Rejection(read_error_reason(error) if error else "unreadable", error or "no bytes")
    return None


class PartitionCleaner:
    """Raw rows -> articles and rejected, in batches; every raw row lands in exactly one of the
    two (or among the `kept` URIs, whose earlier article row stays).

    Web pages are read from `blobs`; pages that could not be fetched are rejected at stage 'fetch'.
    Inputs `previous` already cleaned (same URI and bytes, same cleaner) are not cleaned again;
    the others are cleaned in `workers` processes. Duplicates (same text as an input earlier
    in URI order) are rejected after that, so the result does not depend on what was reused.
    `cleaned` and `reused` count inputs once batches() is exhausted."""

    def __init__(self, raw: pd.DataFrame, today: date | None = None, blobs: BlobStore | None = None,
                 previous: CleaningMemo | None = None, workers: int = 1, progress: Progress | None = None,
                 batch_size: int | None = None):
        self.raw, self.today, self.blobs, self.previous = raw, today, blobs, previous
        self.workers, self.progress, self.batch_size = workers, progress, batch_size or common.BATCH_SIZE
        self.cleaned = self.reused = 0

    def batches(self) -> Iterator[CleanBatch]:
        now, version, previous = utc_now(), cleaner_version(), self.previous
        rows = list(self.raw.sort_values("uri").itertuples(index=False))
        failures = [_unreadable(r) for r in rows]
        known = [None if f or previous is None else previous.get(r.uri, r.content_hash) for r, f in zip(rows, failures)]
        tasks = [_task(r, self.blobs, self.today) for r, f, k in zip(rows, failures, known) if f is None and k is None]
        if self.progress:
            self.progress.start(len(tasks))
        batch = CleanBatch([], [], [])
        seen_text: dict[str, str] = {}  # text hash -> the URI that has it
        self.cleaned, self.reused = len(tasks), sum(k is not None for k in known)

        def reject(row, stage: str, rejection: Rejection, stamp: datetime, text_hash: str | None = None) -> None:
            batch.rejected.append({"source": row.source, "uri": row.uri, "content_hash": row.content_hash,
                                   "stage": stage, "reason": rejection.reason, "detail": rejection.detail,
                                   "text_hash": text_hash, "cleaner_version": version if stage == "clean" else None,
                                   "rejected_at": stamp})

        with WorkerPool(self.workers, len(tasks)) as pool:
            fresh = pool.imap(_clean_task, tasks)
            for done, (row, failure, result) in enumerate(zip(rows, failures, known), start=1):
                if failure is not None:
                    reject(row, *failure, now)
                else:
                    stamp, stage = (previous.stamp(row.uri, now) if result is not None else now), "clean"
                    if isinstance(result, Duplicate) and result.text_hash not in seen_text:
                        # The text it duplicated is gone: clean it again, it may be an article now.
                        (stage, result), stamp = _clean_task(_task(row, self.blobs, self.today)), now
                        self.cleaned, self.reused = self.cleaned + 1, self.reused - 1
                    elif result is None:
                        stage, result = next(fresh)
                        if self.progress:
                            self.progress.step()
                    if isinstance(result, Rejection):
                        reject(row, stage, result, stamp)
                    elif result.text_hash in seen_text:
                        reject(row, "clean", Rejection("duplicate", f"same text as {seen_text[result.text_hash]}"),
                               stamp, result.text_hash)
                    elif isinstance(result, CleanedBefore):
                        seen_text[result.text_hash] = row.uri
                        batch.kept.append(row.uri)
                    else:
                        seen_text[result.text_hash] = row.uri
                        batch.articles.append(_article_row(row, result, version, stamp))
                if done % self.batch_size == 0 or done == len(rows):
                    yield CleanBatch(_articles_frame(batch.articles),
                                     pd.DataFrame(batch.rejected, columns=REJECTED_COLUMNS), batch.kept)
                    batch = CleanBatch([], [], [])


def clean_partition(raw: pd.DataFrame, today: date | None = None, blobs: BlobStore | None = None,
                    previous: CleaningMemo | None = None, workers: int = 1,
                    progress: Progress | None = None) -> CleanResult:
    """PartitionCleaner's batches in memory, with the kept rows taken from `previous.articles`
    (tests and small callers; the assets stream the batches to storage instead)."""
    cleaner = PartitionCleaner(raw, today, blobs, previous, workers, progress)
    articles, rejected, kept = [], [], []
    for batch in cleaner.batches():
        articles.append(batch.articles)
        rejected.append(batch.rejected)
        kept.extend(batch.kept)
    if kept:
        earlier = previous.articles
        articles.append(earlier[earlier["uri"].isin(kept)][ARTICLE_COLUMNS])
    frame = pd.concat([f for f in articles if not f.empty] or [_articles_frame([])], ignore_index=True)
    return CleanResult(frame.sort_values("uri", ignore_index=True) if not frame.empty else frame,
                       pd.concat(rejected, ignore_index=True) if rejected else pd.DataFrame(columns=REJECTED_COLUMNS),
                       cleaned=cleaner.cleaned, reused=cleaner.reused)


def clean_raw(raw: pd.DataFrame, today: date | None = None,
              blobs: BlobStore | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Raw rows -> (articles, rejected), cleaning everything in this process."""
    result = clean_partition(raw, today=today, blobs=blobs)
    return result.articles, result.rejected


def _task(row, blobs: BlobStore | None, today: date | None) -> tuple:
    charset = getattr(row, "charset", None)
    return row.uri, row.content_hash, blobs, charset if isinstance(charset, str) else None, today


def _article_row(row, result: CleanArticle, version: str, stamp: datetime) -> dict:
    return {
        "article_id": stable_id(row.source, row.uri), "source": row.source, "uri": row.uri,
        "title": result.title, "published": result.published, "text": result.text,
        "content_hash": row.content_hash, "text_hash": result.text_hash, "format": result.format,
        "year_hint": result.year_hint, "n_words": len(result.text.split()),
        "cleaner_version": version, "cleaned_at": stamp,
    }


def _articles_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=ARTICLE_COLUMNS)
    frame["published"] = pd.to_datetime(frame["published"]).dt.date
    frame["year_hint"] = frame["year_hint"].astype("Int64")
    return frame


