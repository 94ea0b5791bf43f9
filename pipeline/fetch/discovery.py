"""A web source's listing -> the page URLs it names, with every listing fetch recorded.

A sitemap index is walked breadth first; a sitemap already visited (an index that lists
itself or an ancestor) is skipped, so loops end; at most MAX_SITEMAPS files are read.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, replace

from pipeline.fetch.addresses import UrlRefused, normalise_url
from pipeline.fetch.client import FetchResult, HttpClient
from pipeline.fetch.feeds import parse_feed
from pipeline.fetch.listing import Listed, ListingFilter, unique
from pipeline.fetch.sitemaps import MAX_SITEMAP_BYTES, MAX_SITEMAP_URLS, parse_sitemap
from pipeline.fetch.xmlsafe import XmlRefused

MAX_SITEMAPS = 500


@dataclass
class Discovery:
    items: list[Listed] = field(default_factory=list)
    fetches: list[tuple[str, FetchResult]] = field(default_factory=list)  # (kind, result) per listing
    skipped_loops: int = 0


def _listing_url(url: str) -> str:
    try:
        return normalise_url(url)
    except UrlRefused:
        return url  # the fetch records it as bad_url


def _fetch_listing(http: HttpClient, url: str, parse):
    """(parsed listing or None, the FetchResult to log; unparsable listings say why)."""
    result = http.fetch(url, max_bytes=MAX_SITEMAP_BYTES)
    if not result.ok:
        return None, result
    try:
        parsed = parse(result.body, result.final_url)
    except XmlRefused as exc:
        return None, replace(result, outcome="unparsable", error=str(exc), body=None)
    return parsed, replace(result, body=None)


def discover_feed(http: HttpClient, url: str) -> Discovery:
    items, result = _fetch_listing(http, url, parse_feed)
    return Discovery(items=items or [], fetches=[("feed", result)])


def discover_sitemap(http: HttpClient, url: str, window: ListingFilter) -> Discovery:
    found = Discovery()
    start = _listing_url(url)
    queue, seen = deque([start]), {start}
    while queue and len(found.fetches) < MAX_SITEMAPS:
        current = queue.popleft()
        sitemap, result = _fetch_listing(http, current, parse_sitemap)
        if sitemap is not None and sitemap.beyond_limit:
            # The protocol allows 50,000 URLs a file: the rest are not read, but not in silence.
            result = replace(result, outcome="truncated",
                             error=f"{sitemap.beyond_limit} URL(s) listed beyond the sitemap limit of "
                             f"{MAX_SITEMAP_URLS} were not read")
        found.fetches.append(("sitemap", result))
        seen.add(result.final_url)
        if sitemap is None:
            continue
        found.items.extend(sitemap.pages)
        for child in sitemap.sitemaps:
            if child.url in seen:
                found.skipped_loops += 1
                continue
            # A child sitemap last changed before the window opened lists nothing newer.
            if window.since and child.published and child.published < window.since:
                continue
            seen.add(child.url)
            queue.append(child.url)
    found.items = unique(found.items)
    return found


def discover(kind: str, url: str | None, urls: tuple[str, ...], window: ListingFilter, http: HttpClient) -> Discovery:
    if kind == "urls":
        return Discovery(items=unique(Listed(_listing_url(u)) for u in urls))
    if kind == "feed":
        return discover_feed(http, url)
    if kind == "sitemap":
        return discover_sitemap(http, url, window)
    raise ValueError(f"not a web source kind: {kind!r}")
