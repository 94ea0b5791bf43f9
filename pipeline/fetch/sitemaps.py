"""Sitemaps (urlset), sitemap indexes, gzipped sitemaps and plain-text sitemaps -> the
pages and the child sitemaps they list. Walking an index is done by discovery.py."""

from __future__ import annotations

import gzip
import io
import re
from dataclasses import dataclass, field

from pipeline.fetch.listing import Listed, absolute, parse_listing_date, unique
from pipeline.fetch.xmlsafe import XmlRefused, child_text, children, local_name, parse_xml

# The sitemap protocol allows 50,000 URLs and 50 MB uncompressed per file.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
MAX_SITEMAP_URLS = 50_000


@dataclass
class Sitemap:
    pages: list[Listed] = field(default_factory=list)
    sitemaps: list[Listed] = field(default_factory=list)  # children of an index
    beyond_limit: int = 0  # URLs listed past MAX_SITEMAP_URLS, not read (recorded in fetch_log)


def _capped(found, **kind) -> Sitemap:
    """A Sitemap of the first MAX_SITEMAP_URLS unique entries, counting the ones beyond."""
    entries = unique(e for e in found if e)
    (key,) = kind
    return Sitemap(**{key: entries[:MAX_SITEMAP_URLS]}, beyond_limit=max(0, len(entries) - MAX_SITEMAP_URLS))


def _gunzip(data: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            out = handle.read(MAX_SITEMAP_BYTES + 1)
    except (OSError, EOFError) as exc:
        raise XmlRefused(f"broken gzip sitemap: {exc}") from None
    if len(out) > MAX_SITEMAP_BYTES:
        raise XmlRefused(f"gzip sitemap expands beyond {MAX_SITEMAP_BYTES} bytes")
    return out


# A line of a plain-text sitemap that is a URL: http(s)://..., or another scheme then no blanks.
# Other schemes are listed too, so that the fetch refuses and logs them (bad_url); prose is skipped.
_URL_LINE = re.compile(r"https?://.*|[a-z][a-z0-9+.-]*:\S+", re.I)


def _text_sitemap(data: bytes, base_url: str) -> Sitemap:
    lines = [ln.strip() for ln in data.decode("utf-8", errors="replace").splitlines()]
    urls = [absolute(base_url, ln) for ln in lines if _URL_LINE.fullmatch(ln)]
    return _capped((Listed(u) for u in urls if u), pages=True)


def _dated(entry, base_url: str, *date_names: str) -> Listed | None:
    url = absolute(base_url, child_text(entry, "loc"))
    if url is None:
        return None
    published = None
    for news in children(entry, "news"):  # Google News sitemaps carry the publication date
        published = parse_listing_date(child_text(news, "publication_date"))
    return Listed(url, published or parse_listing_date(child_text(entry, *date_names)))


def parse_sitemap(data: bytes, base_url: str) -> Sitemap:
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data)
    if not data.lstrip().startswith(b"<"):
        return _text_sitemap(data, base_url)
    root = parse_xml(data)
    kind = local_name(root)
    if kind == "sitemapindex":
        return _capped((_dated(e, base_url, "lastmod") for e in children(root, "sitemap")), sitemaps=True)
    if kind == "urlset":
        return _capped((_dated(e, base_url, "lastmod") for e in children(root, "url")), pages=True)
    raise XmlRefused(f"not a sitemap (root element <{kind}>)")
