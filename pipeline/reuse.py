"""What an earlier run of a partition already computed, and may be reused.

Cleaning depends only on the bytes, on the URL trafilatura is given (web pages only) and on
the cleaning code; extraction only on the clean text and the extraction code and gazetteer.
So a result is reused when those are unchanged, keyed by content hash and code version
(pipeline/versions.py). Anything else is computed again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from pipeline.cleaning import CleanArticle, Rejection
from pipeline.versions import cleaner_version


def cleaner_input_key(uri: str, content_hash: str) -> tuple[str, str]:
    """What clean_document's output depends on: the bytes, and the URL for web pages."""
    return content_hash, uri if uri.startswith(("http://", "https://")) else ""


def as_date(value) -> date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, (datetime, pd.Timestamp)):
        return value.date()
    return value


def _optional_int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _optional_str(value) -> str | None:
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class Duplicate:
    """An earlier duplicate: its text is not stored, only the text's hash."""
    text_hash: str


class CleaningMemo:
    """Earlier cleaning results of a partition, made with the current cleaner version."""

    def __init__(self, articles: pd.DataFrame | None, rejected: pd.DataFrame | None, version: str | None = None):
        version = version or cleaner_version()
        self.results: dict[tuple[str, str], CleanArticle | Rejection | Duplicate] = {}
        self.stamps: dict[str, datetime] = {}  # uri -> when its row was first produced
        if articles is not None:
            for row in articles[articles["cleaner_version"] == version].itertuples(index=False):
                self.results[cleaner_input_key(row.uri, row.content_hash)] = CleanArticle(
                    title=_optional_str(row.title), published=as_date(row.published), text=row.text,
                    text_hash=row.text_hash, format=row.format, year_hint=_optional_int(row.year_hint))
                self.stamps[row.uri] = row.cleaned_at
        if rejected is not None:
            usable = rejected[(rejected["cleaner_version"] == version) & (rejected["stage"] == "clean")
                              & rejected["content_hash"].notna()]
            for row in usable.itertuples(index=False):
                if row.reason == "duplicate" and not isinstance(row.text_hash, str):
                    continue
                result = Duplicate(row.text_hash) if row.reason == "duplicate" else Rejection(row.reason, _optional_str(row.detail) or "")
                self.results.setdefault(cleaner_input_key(row.uri, row.content_hash), result)
                self.stamps[row.uri] = row.rejected_at

    def get(self, uri: str, content_hash: str) -> CleanArticle | Rejection | Duplicate | None:
        return self.results.get(cleaner_input_key(uri, content_hash))

    def stamp(self, uri: str, default: datetime) -> datetime:
        return self.stamps.get(uri, default)


def reusable_extractions(articles: pd.DataFrame, log: pd.DataFrame | None, version: str) -> pd.DataFrame:
    """Rows of the extraction log still valid: same article, same text, same extractor."""
    if log is None or log.empty:
        return pd.DataFrame(columns=["article_id"])
    current = articles[["article_id", "text_hash"]]
    valid = log[log["extractor_version"] == version]
    if "error" in valid.columns:
        valid = valid[valid["error"].isna()]  # a failed extraction is tried again
    return valid.merge(current, on=["article_id", "text_hash"], how="inner")
