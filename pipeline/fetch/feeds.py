"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds -> the pages they list.

Parsed here rather than with trafilatura.feeds, which keeps only links (no dates for the
date window) and would download through its own client (no robots, address checks or
size cap).
"""

from __future__ import annotations

from lxml import etree

from pipeline.fetch.listing import Listed, absolute, parse_listing_date, unique
from pipeline.fetch.xmlsafe import XmlRefused, child_text, children, local_name, parse_xml


def _rss_item(item: etree._Element, base_url: str) -> Listed | None:
    href = child_text(item, "link")
    if not href:
        for guid in children(item, "guid"):
            if (guid.get("isPermaLink") or "true").lower() != "false":
                href = (guid.text or "").strip()
    url = absolute(base_url, href)
    if url is None:
        return None
    return Listed(url, parse_listing_date(child_text(item, "pubdate", "date", "published", "updated")))


def _atom_entry(entry: etree._Element, base_url: str) -> Listed | None:
    href = None
    for link in children(entry, "link"):
        if (link.get("rel") or "alternate") == "alternate":
            href = link.get("href")
            break
    url = absolute(base_url, href)
    if url is None:
        return None
    return Listed(url, parse_listing_date(child_text(entry, "published", "updated", "issued", "modified")))


def parse_feed(data: bytes, base_url: str) -> list[Listed]:
    root = parse_xml(data)
    kind = local_name(root)
    if kind == "feed":
        entries = [_atom_entry(e, base_url) for e in children(root, "entry")]
    elif kind in ("rss", "rdf"):
        entries = [_rss_item(e, base_url) for e in root.iter() if local_name(e) == "item"]
    else:
        raise XmlRefused(f"not an RSS or Atom feed (root element <{kind}>)")
    return unique(e for e in entries if e is not None)
