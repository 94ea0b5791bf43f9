"""Cleaning for HTML pages: trafilatura finds the title, the publication date and the
main text, leaving out navigation, related links, footers and reader comments."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import trafilatura
from htmldate import find_date
from trafilatura.metadata import examine_meta, extract_meta_json, extract_title, extract_url
from trafilatura.utils import load_html

# fast=True skips the fallback extractors: about 1.4x the throughput at nearly the same F1
# on real news pages (see BENCHMARKS.md); comments are not the article. Tables stay in: on
# the 181-page benchmark leaving them out loses more article text than junk it removes.
# with_metadata=False: trafilatura's full metadata pass (author, site name, categories,
# tags, licence...) took about 40 % of the cleaning time; _title_and_date gets the two
# fields the pipeline keeps with the same library steps, at a fifth of the cost.
EXTRACT_OPTIONS = dict(fast=True, include_comments=False, with_metadata=False)
DATE_OPTIONS = {"original_date": True, "extensive_search": False}
# libxml2's HTML parser stops at 256 nested elements (without its "huge" option, which is
# off on purpose for untrusted input): text nested deeper is not seen. Pages that deep are
# broken or hostile; when trafilatura finds nothing in one, retry once with the layout
# wrappers (div, span, section...) taken out, which keeps the paragraphs.
MAX_PARSED_DEPTH = 255
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
_WRAPPERS = re.compile(r"</?(?:div|span|section|font|center|main|aside|header|footer|nav)\b[^>]*>", re.I)
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                   "source", "track", "wbr"})


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


def nesting_depth(markup: str) -> int:
    """The deepest element nesting in the markup (a quick tag count, not a parse)."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(markup):
        if closing:
            depth = max(depth - 1, 0)
        elif not self_closing and name.lower() not in _VOID:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def nesting_note(markup: str) -> str:
    depth = nesting_depth(markup)
    return f" (elements nested {depth} deep; the parser stops at {MAX_PARSED_DEPTH})" if depth > MAX_PARSED_DEPTH else ""


def _title_and_date(tree, url: str | None) -> tuple[str | None, str | None]:
    """The title and date trafilatura's extract_metadata would give, with only the steps
    they depend on, in its order: meta tags and OpenGraph, then JSON-LD, then the <title>/<h1>;
    the canonical URL, then htmldate (which reads dates in URLs too). Neither step changes
    the tree (htmldate works on a copy)."""
    metadata = examine_meta(tree)
    if not metadata.title:  # JSON-LD only fills a title the meta tags did not give
        try:
            metadata = extract_meta_json(tree, metadata)
        except Exception:  # as extract_metadata does: malformed JSON-LD must not lose the page
            pass
    if not metadata.title:
        metadata.title = extract_title(tree)
    if not metadata.url:
        metadata.url = extract_url(tree, url)
    metadata.date = find_date(tree, url=metadata.url, **DATE_OPTIONS)
    metadata.clean_and_trim()  # entities, whitespace, length, as trafilatura returns them
    return metadata.title, metadata.date


def _extract(markup: str, url: str | None) -> HtmlResult | None:
    # Parse once: bare_extraction works on its own copy of the tree (copying is about a
    # quarter of the cost of parsing), and the title and date are read from the original.
    tree = load_html(markup)
    if tree is None:
        return None
    document = trafilatura.bare_extraction(tree, url=url, **EXTRACT_OPTIONS)
    if document is None or not (document.text or "").strip():
        return None  # no article: its metadata is not needed
    try:
        title, published = _title_and_date(tree, url)
    except (TypeError, ValueError):  # what bare_extraction catches: keep the text, undated
        title, published = None, None
    return HtmlResult(title=title or None, published=_parse_date(published), text=document.text.strip())


def clean_html(markup: str, url: str | None = None) -> HtmlResult | None:
    result = _extract(markup, url)
    if result is None and nesting_depth(markup) > MAX_PARSED_DEPTH:
        flat = _WRAPPERS.sub("", markup)
        if nesting_depth(flat) <= MAX_PARSED_DEPTH:
            result = _extract(flat, url)
    return result
