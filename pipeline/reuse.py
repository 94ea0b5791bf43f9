"""What an earlier run of a partition already computed, and may be reused.

Cleaning depends only on the bytes, on the URL trafilatura is given (web pages only) and on
the cleaning code; extraction only on the clean text and the extraction code and gazetteer.
So a result is reused when those are unchanged, keyed by content hash and code version
(pipeline/versions.py). Anything else is computed again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from pipeline.cleaning import Rejection
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


def _optional_str(value) -> str | None:
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class Duplicate:
    """An earlier duplicate: its text is not stored, only the text's hash."""
    text_hash: str


@dataclass(frozen=True)
class CleanedBefore:
    """An earlier article: its row stays in the store as it is (the memo never holds texts,
    so that a large partition's re-run costs little memory)."""
    text_hash: str


# The articles columns the memo needs (not the text).
MEMO_ARTICLE_COLUMNS = ["uri", "content_hash", "text_hash", "cleaner_version", "cleaned_at"]


class CleaningMemo:
    """Earlier cleaning results of a partition, made with the current cleaner version.
    `articles` needs only MEMO_ARTICLE_COLUMNS; it is kept as given, so that an in-memory
    caller can take the reused rows from it (CleanResult).

    An input's own earlier result is reused when its bytes are unchanged. Another input's
    result is reused for the same bytes under a new name only when it is a rejection: an
    article's row (its text) is not in the memo, so a renamed copy of it is cleaned again."""

    Result = CleanedBefore | Rejection | Duplicate

    def __init__(self, articles: pd.DataFrame | None, rejected: pd.DataFrame | None, version: str | None = None):
        version = version or cleaner_version()
        self.articles = articles
        self.own: dict[str, tuple[tuple[str, str], CleaningMemo.Result]] = {}  # uri -> (input key, result)
        self.rejections: dict[tuple[str, str], Rejection | Duplicate] = {}  # input key -> result
        self.stamps: dict[str, datetime] = {}  # uri -> when its row was first produced
        if articles is not None:
            for row in articles[articles["cleaner_version"] == version].itertuples(index=False):
                self.own[row.uri] = cleaner_input_key(row.uri, row.content_hash), CleanedBefore(row.text_hash)
                self.stamps[row.uri] = row.cleaned_at
        if rejected is not None:
            usable = rejected[(rejected["cleaner_version"] == version) & (rejected["stage"] == "clean")
                              & rejected["content_hash"].notna()]
            for row in usable.itertuples(index=False):
                if row.reason == "duplicate" and not isinstance(row.text_hash, str):
                    continue
                result = Duplicate(row.text_hash) if row.reason == "duplicate" else Rejection(row.reason, _optional_str(row.detail) or "")
                key = cleaner_input_key(row.uri, row.content_hash)
                self.own[row.uri] = key, result
                self.rejections.setdefault(key, result)
                self.stamps[row.uri] = row.rejected_at

    def get(self, uri: str, content_hash: str) -> "CleaningMemo.Result | None":
        key = cleaner_input_key(uri, content_hash)
        own = self.own.get(uri)
        if own is not None and own[0] == key:
            return own[1]
        return self.rejections.get(key)

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
