"""What feeds and sitemaps list: page URLs with a date when the listing gives one, and the
filters a source can put on them (path prefix, date window, max_articles)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from pipeline.fetch.addresses import UrlRefused, normalise_url


@dataclass(frozen=True)
class Listed:
    url: str
    published: date | None = None  # the listing's date (pubDate, updated, lastmod), if any


@dataclass(frozen=True)
class ListingFilter:
    path_prefix: str | None = None
    since: date | None = None
    until: date | None = None
    max_articles: int | None = None

    @classmethod
    def from_options(cls, options: dict) -> "ListingFilter":
        return cls(*(options.get(k) for k in ("path_prefix", "since", "until", "max_articles")))

    def in_window(self, day: date | None) -> bool:
        # Undated entries pass: a window can only judge the dates the listing gives.
        if day is None:
            return True
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)

    def keeps(self, item: Listed) -> bool:
        if self.path_prefix and not _path(item.url).startswith(self.path_prefix):
            return False
        return self.in_window(item.published)

    def apply(self, items: Iterable[Listed]) -> list[Listed]:
        kept = [item for item in items if self.keeps(item)]
        if self.max_articles is not None and len(kept) > self.max_articles:
            kept = newest_first(kept)[: self.max_articles]
        return kept


def newest_first(items: Iterable[Listed]) -> list[Listed]:
    """Newest first where dated; undated ones keep the listing's order after them."""
    return sorted(items, key=lambda i: (i.published is None, -(i.published or date.min).toordinal()))


def _path(url: str) -> str:
    try:
        return urlsplit(url).path or "/"
    except ValueError:  # a malformed listed URL has no path to judge
        return ""


def parse_listing_date(text: str | None) -> date | None:
    """A date from RFC 822 (RSS pubDate) or ISO 8601 (Atom, sitemaps, dc:date) text."""
    if not text:
        return None
    text = text.strip()
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def absolute(base_url: str, href: str | None) -> str | None:
    """The listed URL, absolute and normalised; None only when nothing is listed (no or blank href).

    URLs that must never be fetched (javascript:, file:, data:, ftp:, mailto:, credentials,
    malformed) are kept: the fetcher refuses them before any request and records them in
    fetch_log as bad_url, so every URL a listing names has a row (and is an input, rejected)."""
    href = (href or "").strip()
    if not href:
        return None
    try:
        return normalise_url(urljoin(base_url, href))
    except (UrlRefused, ValueError):  # urljoin raises ValueError too (e.g. "http://[::1")
        return href  # as given: the fetch logs why it is refused


def unique(items: Iterable[Listed]) -> list[Listed]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item.url not in seen:
            seen.add(item.url)
            out.append(item)
    return out
