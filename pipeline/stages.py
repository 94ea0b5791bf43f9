"""The pipeline's stages as plain functions over DataFrames: the Dagster assets are thin
wrappers around these, and tests and the CLI can call them directly."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timezone

import pandas as pd

from pipeline.cleaning import CleanArticle, clean_document
from pipeline.extraction import extract_mentions
from pipeline.fetch import HISTORY_SQL, BlobStore, FetchHistory, records_frame
from pipeline.ingest import RawDocument, list_documents, list_web_documents, read_bytes
from pipeline.sources_file import SourceSpec

RAW_COLUMNS = ["source", "uri", "content_hash", "n_bytes", "read_error", "fetch_outcome", "charset", "discovered_at"]
FETCHED_OUTCOMES = ("fetched", "cached")
ARTICLE_COLUMNS = ["article_id", "source", "uri", "title", "published", "text", "content_hash",
                   "text_hash", "format", "year_hint", "n_words", "cleaned_at"]
REJECTED_COLUMNS = ["source", "uri", "content_hash", "stage", "reason", "detail", "rejected_at"]
MENTION_COLUMNS = ["mention_id", "article_id", "source", "event_type", "types", "actor", "target",
                   "event_date", "date_precision", "reported_only", "diplomat", "cause", "sentence",
                   "char_start", "char_end", "rule", "confidence"]


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


def clean_raw(raw: pd.DataFrame, today: date | None = None,
              blobs: BlobStore | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Raw rows -> (articles, rejected). Every raw row lands in exactly one of the two.
    Web pages are read from `blobs`; pages that could not be fetched are rejected at stage 'fetch'."""
    now = _now()
    articles, rejected = [], []
    seen_text: dict[str, str] = {}

    def reject(row, stage: str, reason: str, detail: str) -> None:
        rejected.append({"source": row.source, "uri": row.uri, "content_hash": row.content_hash,
                         "stage": stage, "reason": reason, "detail": detail, "rejected_at": now})

    for row in raw.sort_values("uri").itertuples(index=False):
        outcome = getattr(row, "fetch_outcome", None)
        if isinstance(outcome, str) and outcome not in FETCHED_OUTCOMES:
            reject(row, "fetch", outcome, row.read_error if isinstance(row.read_error, str) else outcome)
            continue
        if isinstance(row.read_error, str) or not isinstance(row.content_hash, str):
            reject(row, "read", "unreadable", row.read_error if isinstance(row.read_error, str) else "no bytes")
            continue
        try:
            data = read_bytes(row.uri, row.content_hash, blobs)
        except Exception as exc:  # the file vanished or changed between discovery and cleaning
            reject(row, "read", "unreadable", f"{type(exc).__name__}: {exc}")
            continue
        charset = getattr(row, "charset", None)
        result = clean_document(data, url=row.uri if row.uri.startswith("http") else None, today=today,
                                declared_charset=charset if isinstance(charset, str) else None)
        if not isinstance(result, CleanArticle):
            reject(row, "clean", result.reason, result.detail)
            continue
        if result.text_hash in seen_text:
            reject(row, "clean", "duplicate", f"same text as {seen_text[result.text_hash]}")
            continue
        seen_text[result.text_hash] = row.uri
        articles.append({
            "article_id": stable_id(row.source, row.uri), "source": row.source, "uri": row.uri,
            "title": result.title, "published": result.published, "text": result.text,
            "content_hash": row.content_hash, "text_hash": result.text_hash, "format": result.format,
            "year_hint": result.year_hint, "n_words": len(result.text.split()), "cleaned_at": now,
        })
    articles_df = pd.DataFrame(articles, columns=ARTICLE_COLUMNS)
    articles_df["published"] = pd.to_datetime(articles_df["published"]).dt.date
    articles_df["year_hint"] = articles_df["year_hint"].astype("Int64")
    return articles_df, pd.DataFrame(rejected, columns=REJECTED_COLUMNS)


def _as_date(value) -> date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def extract_articles(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles -> one row per protest mention."""
    rows = []
    for art in articles.itertuples(index=False):
        year_hint = None if pd.isna(art.year_hint) else int(art.year_hint)
        title = art.title if isinstance(art.title, str) else None
        mentions = extract_mentions(art.text, published=_as_date(art.published), title=title, year_hint=year_hint)
        for index, m in enumerate(mentions):
            rows.append({
                "mention_id": stable_id(art.article_id, str(index), m.actor, m.target),
                "article_id": art.article_id, "source": art.source, "event_type": m.event_type,
                "types": list(m.types), "actor": m.actor, "target": m.target,
                "event_date": m.date.first_day if m.date else None,
                "date_precision": m.date.precision if m.date else None,
                "reported_only": m.reported_only, "diplomat": m.diplomat, "cause": m.cause,
                "sentence": m.sentence, "char_start": m.char_start, "char_end": m.char_end,
                "rule": m.rule, "confidence": m.confidence,
            })
    frame = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    frame["event_date"] = pd.to_datetime(frame["event_date"]).dt.date
    return frame
