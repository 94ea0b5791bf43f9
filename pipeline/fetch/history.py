"""fetch_log rows, and what earlier runs fetched (read back from fetch_log) so that a page
already in the blob store is not fetched again and failed pages are tried again."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date, datetime

import pandas as pd

from pipeline.fetch.client import FetchResult

STORED_OUTCOMES = ("fetched", "cached")  # the page's bytes are in the blob store
# Everything earlier runs recorded; the fetcher needs successes (cache) and this source's
# failures (retries), and it carries the rest forward so fetch_log keeps every URL's newest state.
HISTORY_SQL = "SELECT * FROM fetch_log"


@dataclass(frozen=True)
class FetchRecord:
    source: str
    url: str  # as listed
    kind: str  # 'page' | 'feed' | 'sitemap'
    final_url: str | None
    status: int | None
    outcome: str  # fetched | cached | robots_disallowed | http_error | timeout | too_large | ...
    error: str | None
    attempts: int
    bytes: int
    content_type: str | None
    charset: str | None
    content_hash: str | None
    listed_date: date | None  # the date the feed or sitemap gave the page
    fetched_at: datetime  # last time the network was asked
    logged_at: datetime  # the run that wrote this row

    @property
    def stored(self) -> bool:
        return self.outcome in STORED_OUTCOMES and bool(self.content_hash)

    @classmethod
    def from_result(cls, source: str, kind: str, result: FetchResult, listed_date: date | None,
                    content_hash: str | None, logged_at: datetime) -> "FetchRecord":
        return cls(source=source, url=result.url, kind=kind, final_url=result.final_url, status=result.status,
                   outcome=result.outcome, error=result.error, attempts=result.attempts,
                   bytes=len(result.body) if result.body is not None else 0, content_type=result.content_type,
                   charset=result.charset, content_hash=content_hash, listed_date=listed_date,
                   fetched_at=result.fetched_at, logged_at=logged_at)


FETCH_LOG_COLUMNS = [f.name for f in fields(FetchRecord)]


def records_frame(records: list[FetchRecord]) -> pd.DataFrame:
    frame = pd.DataFrame([asdict(r) for r in records], columns=FETCH_LOG_COLUMNS)
    frame["status"] = frame["status"].astype("Int64")
    frame["listed_date"] = pd.to_datetime(frame["listed_date"]).dt.date
    return frame


def _plain(value, kind: str):
    """pandas' NaN/NaT/Timestamp back to None/date/datetime."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if kind == "date":
        return value.date() if isinstance(value, (datetime, pd.Timestamp)) else value
    if kind == "datetime":
        return value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
    if kind == "int":
        return int(value)
    return value


_KINDS = {"listed_date": "date", "fetched_at": "datetime", "logged_at": "datetime", "status": "int",
          "attempts": "int", "bytes": "int"}


class FetchHistory:
    def __init__(self, records: list[FetchRecord] = ()):
        self._stored: dict[str, FetchRecord] = {}
        self._by_source: dict[str, dict[str, FetchRecord]] = {}
        for record in sorted(records, key=lambda r: r.fetched_at):  # newest wins
            self._by_source.setdefault(record.source, {})[record.url] = record
            if record.stored:
                self._stored[record.url] = record

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> "FetchHistory":
        records = []
        for row in frame.to_dict("records"):
            values = {name: _plain(row.get(name), _KINDS.get(name, "")) for name in FETCH_LOG_COLUMNS}
            values["attempts"] = values["attempts"] or 0
            values["bytes"] = values["bytes"] or 0
            records.append(FetchRecord(**values))
        return cls(records)

    def stored(self, url: str) -> FetchRecord | None:
        """The newest successful fetch of this URL by any source."""
        return self._stored.get(url)

    def of_source(self, source: str) -> dict[str, FetchRecord]:
        return dict(self._by_source.get(source, {}))
