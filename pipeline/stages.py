"""The pipeline's stages as plain functions over DataFrames: the Dagster assets are thin
wrappers around these, and tests and the CLI can call them directly."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timezone

import pandas as pd

from pipeline.cleaning import CleanArticle, clean_document
from pipeline.extraction import extract_mentions
from pipeline.ingest import list_documents, read_bytes
from pipeline.sources_file import SourceSpec

RAW_COLUMNS = ["source", "uri", "content_hash", "n_bytes", "read_error", "discovered_at"]
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


def discover_raw(spec: SourceSpec) -> pd.DataFrame:
    """Every input of the source, readable or not."""
    now = _now()
    rows = [
        {"source": d.source, "uri": d.uri, "content_hash": d.content_hash, "n_bytes": d.n_bytes,
         "read_error": d.read_error, "discovered_at": now}
        for d in list_documents(spec)
    ]
    return pd.DataFrame(rows, columns=RAW_COLUMNS)


def clean_raw(raw: pd.DataFrame, today: date | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Raw rows -> (articles, rejected). Every raw row lands in exactly one of the two."""
    now = _now()
    articles, rejected = [], []
    seen_text: dict[str, str] = {}

    def reject(row, stage: str, reason: str, detail: str) -> None:
        rejected.append({"source": row.source, "uri": row.uri, "content_hash": row.content_hash,
                         "stage": stage, "reason": reason, "detail": detail, "rejected_at": now})

    for row in raw.sort_values("uri").itertuples(index=False):
        if isinstance(row.read_error, str) or not isinstance(row.content_hash, str):
            reject(row, "read", "unreadable", row.read_error if isinstance(row.read_error, str) else "no bytes")
            continue
        try:
            data = read_bytes(row.uri)
        except Exception as exc:  # the file vanished or changed between discovery and cleaning
            reject(row, "read", "unreadable", f"{type(exc).__name__}: {exc}")
            continue
        result = clean_document(data, url=row.uri if row.uri.startswith("http") else None, today=today)
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
