"""Cleaning for HTML pages: trafilatura finds the title, the publication date and the
main text, leaving out navigation, related links, footers and reader comments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import trafilatura

# fast=True skips the fallback extractors: about 1.4x the throughput at nearly the same F1
# on real news pages (see BENCHMARKS.md); comments are not the article.
EXTRACT_OPTIONS = dict(fast=True, include_comments=False, include_tables=False, with_metadata=True)
DATE_OPTIONS = {"original_date": True, "extensive_search": False}


@dataclass(frozen=True)
class HtmlResult:
    title: str | None
    published: date | None
    text: str


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def clean_html(markup: str, url: str | None = None) -> HtmlResult | None:
    document = trafilatura.bare_extraction(markup, url=url, date_extraction_params=DATE_OPTIONS, **EXTRACT_OPTIONS)
    if document is None or not (document.text or "").strip():
        return None
    return HtmlResult(title=document.title or None, published=_parse_date(document.date), text=document.text.strip())
