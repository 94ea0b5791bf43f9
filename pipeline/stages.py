"""The pipeline's stages as plain functions over DataFrames: the Dagster assets are thin
wrappers around these, and tests and the CLI can call them directly."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone

import pandas as pd

from pipeline.cleaning import CleanArticle, Rejection, clean_document
from pipeline.extraction import extract_mentions
from pipeline.fetch import HISTORY_SQL, BlobStore, FetchHistory, records_frame
from pipeline.ingest import RawDocument, list_documents, list_web_documents, read_bytes
from pipeline.parallel import ordered_map
from pipeline.progress import Progress
from pipeline.reuse import CleaningMemo, Duplicate, as_date, reusable_extractions
from pipeline.sources_file import SourceSpec
from pipeline.versions import cleaner_version, extractor_version

RAW_COLUMNS = ["source", "uri", "content_hash", "n_bytes", "read_error", "fetch_outcome", "charset", "discovered_at"]
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
         "read_error": d.read_error, "fetch_outcome": d.fetch_outcome, "charset": d.charset, "discovered_at": now}
        for d in documents
    ]
    return pd.DataFrame(rows, columns=RAW_COLUMNS)


def discover_raw(spec: SourceSpec) -> pd.DataFrame:
    """Every input of a folder source, readable or not."""
    return _raw_frame(list_documents(spec))


def fetch_history(warehouse) -> FetchHistory:
    """What earlier runs fetched, from the warehouse's fetch_log."""
    return FetchHistory.from_frame(warehouse.query_df(HISTORY_SQL))


def discover_web(spec: SourceSpec, history: FetchHistory, blobs: BlobStore) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """A web source's pages -> (raw rows, the source's fetch_log rows, failed listings)."""
    inputs = list_web_documents(spec, history, blobs)
    return _raw_frame(inputs.documents), records_frame(inputs.log), len(inputs.listing_failures)


# -- cleaning ----------------------------------------------------------------------------------

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
        return "read", Rejection("unreadable", error or "no bytes")
    return None


def clean_raw(raw: pd.DataFrame, today: date | None = None,
              blobs: BlobStore | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Raw rows -> (articles, rejected), cleaning everything in this process."""
    result = clean_partition(raw, today=today, blobs=blobs)
    return result.articles, result.rejected


def clean_partition(raw: pd.DataFrame, today: date | None = None, blobs: BlobStore | None = None,
                    previous: CleaningMemo | None = None, workers: int = 1,
                    progress: Progress | None = None) -> CleanResult:
    """Raw rows -> articles and rejected; every raw row lands in exactly one of the two.
    Web pages are read from `blobs`; pages that could not be fetched are rejected at stage 'fetch'.
    Inputs `previous` already cleaned (same URI and bytes, same cleaner) are not cleaned again;
    the others are cleaned in `workers` processes. Duplicates (same text as an input earlier
    in URI order) are rejected after that, so the result does not depend on what was reused."""
    now, version = _now(), cleaner_version()
    rows = list(raw.sort_values("uri").itertuples(index=False))
    failures = [_unreadable(r) for r in rows]
    known = [None if f or previous is None else previous.get(r.uri, r.content_hash) for r, f in zip(rows, failures)]
    tasks = [_task(r, blobs, today) for r, f, k in zip(rows, failures, known) if f is None and k is None]
    if progress:
        progress.start(len(tasks))
    fresh = ordered_map(_clean_task, tasks, len(tasks), workers)
    articles, rejected, seen_text, late = [], [], {}, 0

    def reject(row, stage: str, rejection: Rejection, stamp: datetime, text_hash: str | None = None) -> None:
        rejected.append({"source": row.source, "uri": row.uri, "content_hash": row.content_hash, "stage": stage,
                         "reason": rejection.reason, "detail": rejection.detail, "text_hash": text_hash,
                         "cleaner_version": version if stage == "clean" else None, "rejected_at": stamp})

    for row, failure, result in zip(rows, failures, known):
        if failure is not None:
            reject(row, *failure, now)
            continue
        stamp = previous.stamp(row.uri, now) if result is not None else now
        stage = "clean"
        if isinstance(result, Duplicate) and result.text_hash not in seen_text:
            # The text it duplicated is gone: clean it again, it may be an article now.
            (stage, result), stamp, late = _clean_task(_task(row, blobs, today)), now, late + 1
        elif result is None:
            stage, result = next(fresh)
            if progress:
                progress.step()
        if isinstance(result, Rejection):
            reject(row, stage, result, stamp)
        elif result.text_hash in seen_text:
            reject(row, "clean", Rejection("duplicate", f"same text as {seen_text[result.text_hash]}"), stamp,
                   result.text_hash)
        else:
            seen_text[result.text_hash] = row.uri
            articles.append(_article_row(row, result, version, stamp))
    return CleanResult(_articles_frame(articles), pd.DataFrame(rejected, columns=REJECTED_COLUMNS),
                       cleaned=len(tasks) + late, reused=sum(k is not None for k in known) - late)


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

@dataclass
class ExtractResult:
    mentions: pd.DataFrame
    log: pd.DataFrame  # one row per article: which text, which extractor, how many mentions
    extracted: int  # articles run through the extractor in this call
    reused: int  # articles whose earlier mentions were kept (same text, same extractor)


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


def extract_articles(articles: pd.DataFrame, workers: int = 1, progress: Progress | None = None) -> pd.DataFrame:
    """Articles -> one row per protest mention."""
    inputs = (_extraction_input(a) for a in articles.itertuples(index=False))
    if progress:
        progress.start(len(articles))
    rows, errors = [], {}
    for found in ordered_map(_extract_task, inputs, len(articles), workers):
        for row in found:
            if row["mention_id"] == _FAILED:
                errors[row["article_id"]] = row["sentence"]
            else:
                rows.append(row)
        if progress:
            progress.step()
    frame = _mentions_frame([pd.DataFrame(rows, columns=MENTION_COLUMNS)])
    frame.attrs["errors"] = errors  # article_id -> why extraction failed
    return frame


def extract_partition(keys: pd.DataFrame, load_articles: Callable[[list[str]], pd.DataFrame],
                      previous_log: pd.DataFrame | None = None, previous_mentions: pd.DataFrame | None = None,
                      workers: int = 1, progress: Progress | None = None) -> ExtractResult:
    """`keys`: the partition's articles (article_id, source, text_hash). Articles whose text and
    extractor are unchanged keep their previous mentions; `load_articles(ids)` gives the full
    rows of the others, which are extracted (in `workers` processes)."""
    now, version = _now(), extractor_version()
    kept = reusable_extractions(keys, previous_log, version)
    kept_ids = set(kept["article_id"])
    todo = [a for a in keys["article_id"] if a not in kept_ids]
    fresh = extract_articles(load_articles(todo), workers, progress) if todo else _mentions_frame([])
    reused = previous_mentions[previous_mentions["article_id"].isin(kept_ids)] if previous_mentions is not None and kept_ids else None
    counts = fresh["article_id"].value_counts()
    new_log = keys[~keys["article_id"].isin(kept_ids)][["source", "article_id", "text_hash"]].assign(
        extractor_version=version, extracted_at=now)
    new_log["n_mentions"] = new_log["article_id"].map(counts).fillna(0).astype(int)
    new_log["error"] = new_log["article_id"].map(fresh.attrs.get("errors", {}))
    log = pd.concat([f for f in (kept[EXTRACTION_COLUMNS] if not kept.empty else None, new_log[EXTRACTION_COLUMNS])
                     if f is not None], ignore_index=True)
    return ExtractResult(_mentions_frame([fresh] + ([reused] if reused is not None else [])), log,
                         extracted=len(todo), reused=len(kept_ids))
