"""One raw document -> a CleanArticle or a Rejection (never an exception)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from pipeline.cleaning.decode import DecodeError, decode_bytes
from pipeline.cleaning.html import clean_html, nesting_note
from pipeline.cleaning.plaintext import clean_plain_text

MIN_WORDS = 8  # fewer words than this is a fragment, not an article
# No news article is this large; trafilatura needs about a second per MiB and several times
# the size in memory, so larger inputs are refused ('too_large'), as web pages are while
# downloading (FetchOptions.max_bytes has the same default).
MAX_CLEAN_BYTES = 10 * 1024 * 1024
EARLIEST_PLAUSIBLE = date(1980, 1, 1)
_HTML_SNIFF = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|div|p|article|span|table|meta|title)\b", re.I)


@dataclass(frozen=True)
class CleanArticle:
    title: str | None
    published: date | None
    text: str
    text_hash: str  # of the normalised text: equal texts under two names are duplicates
    format: str  # 'html' | 'text'
    year_hint: int | None = None  # a year the page names when it has no publication date


@dataclass(frozen=True)
class Rejection:
    reason: str  # empty | binary | undecodable | too_large | unreadable | no_text | duplicate
    detail: str


def text_fingerprint(text: str) -> str:
    normalised = " ".join(re.findall(r"\w+", text.lower()))
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _plausible(published: date | None, today: date) -> date | None:
    if published is None or not (EARLIEST_PLAUSIBLE <= published <= today):
        return None
    return published


def clean_document(data: bytes, url: str | None = None, today: date | None = None,
                   declared_charset: str | None = None) -> CleanArticle | Rejection:
    """`declared_charset`: the charset a web server declared for the bytes, if any."""
    today = today or date.today()
    if len(data) > MAX_CLEAN_BYTES:
        return Rejection("too_large", f"{len(data)} bytes, more than the {MAX_CLEAN_BYTES // (1024 * 1024)} MiB an article may have")
    try:
        markup = decode_bytes(data, declared=declared_charset)
    except DecodeError as exc:
        return Rejection(exc.reason, exc.detail)
    if _HTML_SNIFF.search(markup[:4000]):
        try:
            result = clean_html(markup, url=url)
        except Exception as exc:  # trafilatura/lxml on hostile markup: reject, don't crash
            return Rejection("unparsable", f"{type(exc).__name__}: {exc}"[:300])
        if result is None:
            return Rejection("no_text", "no main text found in the HTML page" + nesting_note(markup))
        title, published, text, fmt, year_hint = result.title, result.published, result.text, "html", None
    else:
        plain = clean_plain_text(markup)
        title, published, text, fmt, year_hint = plain.title, plain.published, plain.text, "text", plain.year_hint
    if len(re.findall(r"\w+", text)) < MIN_WORDS:
        return Rejection("no_text", f"only {len(text.split())} words of article text")
    published = _plausible(published, today)
    return CleanArticle(
        title=title,
        published=published,
        text=text,
        text_hash=text_fingerprint(text),
        format=fmt,
        year_hint=year_hint or (published.year if published else None),
    )
