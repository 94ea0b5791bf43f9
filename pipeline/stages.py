"""The pipeline's stages as plain functions over DataFrames: the Dagster assets are thin
wrappers around these, and tests and the CLI can call them directly."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone

import pandas as pd

from pipeline.cleaning import CleanArticle, Rejection, clean_document
from pipeline.extraction import extract_mentions
from pipeline.fetch import HISTORY_SQL, BlobStore, FetchHistory, records_frame
from pipeline.ingest import RawDocument, list_documents, list_web_documents, read_bytes
from pipeline.ingest.documents import DocumentTooLarge, KnownFile, read_error_reason
from pipeline.parallel import WorkerPool
from pipeline.progress import Progress
from pipeline.reuse import CleanedBefore, CleaningMemo, Duplicate, as_date, reusable_extractions
from pipeline.sources_file import SourceSpec
from pipeline.versions import cleaner_version, extractor_version

RAW_COLUMNS = ["source", "uri", "content_hash", "n_bytes", "read_error", "fetch_outcome", "charset",
               "file_size", "file_mtime_ns", "discovered_at"]
FETCHED_OUTCOMES = ("fetched", "cached")
ARTICLE_COLUMNS = ["article_id", "source", "uri", "title", "published", "text", "content_hash",
                   "text_hash", "format", "year_hint", "n_words", "cleaner_version", "cleaned_at"]
REJECTED_COLUMNS = ["source", "uri", "content_hash", "stage", "reason", "detail", "text_hash", "cleaner_version",
                    "rejected_at"]
MENTION_COLUMNS = ["mention_id", "article_id", "source", "event_type", "types", "actor", "target",
                   "event_date", "date_precision", "reported_only", "diplomat", "cause", "sentence",
                   "char_start", "char_end", "rule", "confidence"]
EXTRACTION_COLUMNS = ["source", "article_id", "text_hash", "extractor_version", "n_mentions", "extracted_at", "error"]
# Marks an article the extractor failed on, among its mention rows (never stored as a mention).
_FAILED = "__extraction_failed__"


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def stable_id(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _raw_frame(documents: list[RawDocument]) -> pd.DataFrame:
    now = _now()
    rows = [
        {"source": d.source, "uri": d.uri, "content_hash": d.content_hash, "n_bytes": d.n_bytes,
         "read_error": d.read_error, "fetch_outcome": d.fetch_outcome, "charset": d.charset,
         "file_size": d.file_size, "file_mtime_ns": d.file_mtime_ns, "discovered_at": now}
        for d in documents
    ]
    return pd.DataFrame(rows, columns=RAW_COLUMNS)


def discover_raw(spec: SourceSpec, previous: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every input of a folder source, readable or not. `previous`: the source's raw rows of
    the last discovery; files whose size and modification time are unchanged keep their hash."""
    known = {}
    if previous is not None:
        usable = previous.dropna(subset=["content_hash", "file_size", "file_mtime_ns"])
        known = {row.uri: KnownFile(int(row.file_size), int(row.file_mtime_ns), row.content_hash, int(row.n_bytes))
                 for row in usable.itertuples(index=False)}
    return _raw_frame(list_documents(spec, known))


def fetch_history(warehouse) -> FetchHistory:
    """What earlier runs fetched, from the warehouse's fetch_log."""
    return FetchHistory.from_frame(warehouse.query_df(HISTORY_SQL))


def discover_web(spec: SourceSpec, history: FetchHistory, blobs: BlobStore) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """A web source's pages -> (raw rows, the source's fetch_log rows, failed listings)."""
    inputs = list_web_documents(spec, history, blobs)
    return _raw_frame(inputs.documents), records_frame(inputs.log), len(inputs.listing_failures)


# -- cleaning ----------------------------------------------------------------------------------

# Rows per batch handed to storage: a partition's texts never sit in memory all at once.
BATCH_SIZE = 1000


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
        self.workers, self.progress, self.batch_size = workers, progress, batch_size or BATCH_SIZE
        self.cleaned = self.reused = 0

    def batches(self) -> Iterator[CleanBatch]:
        now, version, previous = _now(), cleaner_version(), self.previous
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


# -- extraction --------------------------------------------------------------------------------

def _extract_task(article: tuple) -> list[dict]:
    """One article, possibly in a worker process -> its mention rows."""
    article_id, source, text, published, title, year_hint = article
    try:
        mentions = extract_mentions(text, published=published, title=title, year_hint=year_hint)
    except Exception as exc:  # one hostile article must not fail its whole source's run
        return [{"mention_id": _FAILED, "article_id": article_id, "sentence": f"{type(exc).__name__}: {exc}"[:500]}]
    rows = []
    for index, m in enumerate(mentions):
        rows.append({
            "mention_id": stable_id(article_id, str(index), m.actor, m.target),
            "article_id": article_id, "source": source, "event_type": m.event_type,
            "types": list(m.types), "actor": m.actor, "target": m.target,
            "event_date": m.date.first_day if m.date else None,
            "date_precision": m.date.precision if m.date else None,
            "reported_only": m.reported_only, "diplomat": m.diplomat, "cause": m.cause,
            "sentence": m.sentence, "char_start": m.char_start, "char_end": m.char_end,
            "rule": m.rule, "confidence": m.confidence,
        })
    return rows


def _extraction_input(art) -> tuple:
    year_hint = None if pd.isna(art.year_hint) else int(art.year_hint)
    return (art.article_id, art.source, art.text, as_date(art.published),
            art.title if isinstance(art.title, str) else None, year_hint)


def _mentions_frame(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frame = pd.concat([f for f in frames if not f.empty] or [pd.DataFrame(columns=MENTION_COLUMNS)], ignore_index=True)
    frame = frame[MENTION_COLUMNS]
    frame["event_date"] = pd.to_datetime(frame["event_date"]).dt.date
    return frame


def _extract_batch(pool: WorkerPool, articles: pd.DataFrame,
                   progress: Progress | None) -> tuple[pd.DataFrame, dict[str, str]]:
    """Articles -> (one row per protest mention, article_id -> why extraction failed)."""
    inputs = (_extraction_input(a) for a in articles.itertuples(index=False))
    rows, errors = [], {}
    for found in pool.imap(_extract_task, inputs):
        for row in found:
            if row["mention_id"] == _FAILED:
                errors[row["article_id"]] = row["sentence"]
            else:
                rows.append(row)
        if progress:
            progress.step()
    return _mentions_frame([pd.DataFrame(rows, columns=MENTION_COLUMNS)]), errors


def extract_articles(articles: pd.DataFrame, workers: int = 1, progress: Progress | None = None) -> pd.DataFrame:
    """Articles -> one row per protest mention (failures in frame.attrs['errors'])."""
    if progress:
        progress.start(len(articles))
    with WorkerPool(workers, len(articles)) as pool:
        frame, errors = _extract_batch(pool, articles, progress)
    frame.attrs["errors"] = errors
    return frame


@dataclass
class ExtractBatch:
    mentions: pd.DataFrame  # of the articles extracted in this batch
    log: pd.DataFrame  # their extraction log rows


class PartitionExtractor:
    """`keys`: the partition's articles (article_id, source, text_hash). Articles whose text and
    extractor are unchanged keep their earlier mentions (`kept_ids`); the others are read in
    batches through `load_articles(ids)` and extracted in `workers` processes."""

    def __init__(self, keys: pd.DataFrame, load_articles: Callable[[list[str]], pd.DataFrame],
                 previous_log: pd.DataFrame | None = None, workers: int = 1, progress: Progress | None = None,
                 batch_size: int | None = None):
        self.version = extractor_version()
        self.kept_log = reusable_extractions(keys, previous_log, self.version)
        self.kept_ids = list(self.kept_log["article_id"])
        kept = set(self.kept_ids)
        self.todo = keys[~keys["article_id"].isin(kept)][["source", "article_id", "text_hash"]]
        self.load_articles, self.workers, self.progress = load_articles, workers, progress
        self.batch_size = batch_size or BATCH_SIZE
        self.extracted, self.reused = len(self.todo), len(kept)

    def batches(self) -> Iterator[ExtractBatch]:
        if self.progress:
            self.progress.start(len(self.todo))
        with WorkerPool(self.workers, len(self.todo)) as pool:
            for start in range(0, len(self.todo), self.batch_size):
                keys = self.todo.iloc[start:start + self.batch_size]
                mentions, errors = _extract_batch(pool, self.load_articles(list(keys["article_id"])), self.progress)
                log = keys.assign(extractor_version=self.version, extracted_at=_now())
                log["n_mentions"] = log["article_id"].map(mentions["article_id"].value_counts()).fillna(0).astype(int)
                log["error"] = log["article_id"].map(errors)
                yield ExtractBatch(mentions, log[EXTRACTION_COLUMNS])


@dataclass
class ExtractResult:
    mentions: pd.DataFrame
    log: pd.DataFrame  # one row per article: which text, which extractor, how many mentions
    extracted: int  # articles run through the extractor in this call
    reused: int  # articles whose earlier mentions were kept (same text, same extractor)


def extract_partition(keys: pd.DataFrame, load_articles: Callable[[list[str]], pd.DataFrame],
                      previous_log: pd.DataFrame | None = None, previous_mentions: pd.DataFrame | None = None,
                      workers: int = 1, progress: Progress | None = None) -> ExtractResult:
    """PartitionExtractor's batches in memory, with the kept mentions taken from
    `previous_mentions` (tests and small callers; the assets stream batches to storage)."""
    extractor = PartitionExtractor(keys, load_articles, previous_log, workers, progress)
    batches = list(extractor.batches())
    kept = extractor.kept_ids
    mentions = [b.mentions for b in batches]
    if previous_mentions is not None and kept:
        mentions.append(previous_mentions[previous_mentions["article_id"].isin(kept)])
    logs = [extractor.kept_log[EXTRACTION_COLUMNS]] if kept else []
    logs += [b.log for b in batches]
    log = pd.concat(logs, ignore_index=True) if logs else pd.DataFrame(columns=EXTRACTION_COLUMNS)
    return ExtractResult(_mentions_frame(mentions), log, extracted=extractor.extracted, reused=extractor.reused)
