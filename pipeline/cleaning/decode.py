"""Bytes -> text, refusing binaries and undecodable input with a reason."""

from __future__ import annotations

import re

from charset_normalizer import from_bytes

# Magic numbers of formats that sometimes arrive under an .html name.
_BINARY_MAGIC = {
    b"%PDF": "PDF document",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"PK\x03\x04": "ZIP archive",
    b"\x1f\x8b": "gzip data",
    b"RIFF": "RIFF media",
    b"\x00\x00\x01\x00": "icon",
}
_DEFAULT_HEADER_CHARSETS = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


class DecodeError(ValueError):
    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def _usable_charset(name: str | None) -> str | None:
    """A lowercase codec name Python knows, or None."""
    if not name:
        return None
    name = name.strip().lower()
    try:
        "".encode(name)
    except LookupError:
        return None
    return name


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return _usable_charset(match.group(1).decode("ascii", "ignore")) if match else None


def _decode_as(data: bytes, charset: str | None) -> str | None:
    if not charset or charset in ("utf-8", "utf8"):
        return None  # UTF-8 was tried first already
    try:
        return data.decode(charset)
    except UnicodeDecodeError:
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Bytes -> text. `declared` is the charset a web server sent in its Content-Type
    header: like browsers, it outranks the page's own <meta charset>."""
    if not data.strip():
        raise DecodeError("empty", "no content")
    for magic, label in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise DecodeError("binary", label)
    if data[:1024].count(b"\x00") > 0 and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DecodeError("binary", "NUL bytes in content")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    # UTF-8 first: it almost never decodes by accident, and a wrong <meta charset> is common.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    header, meta = _usable_charset(declared), _meta_charset(data)
    # Many servers send ISO-8859-1 by default, whatever the page is: the page knows better.
    order = (meta, header) if header in _DEFAULT_HEADER_CHARSETS else (header, meta)
    for charset in order:
        text = _decode_as(data, charset)
        if text is not None:
            return text
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise DecodeError("undecodable", "no text encoding fits the bytes")
    text = str(best)
    if _control_ratio(text) > 0.05:
        raise DecodeError("binary", "mostly control characters")
    return text


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls / len(sample)
