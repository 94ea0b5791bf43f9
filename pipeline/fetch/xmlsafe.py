"""Parsing untrusted XML (feeds, sitemaps) without expanding entities or reading DTDs.

lxml with entity resolution, DTD loading and network access off, and huge_tree off (its
depth and size limits stay on). A document that declares entities at all is refused:
feeds and sitemaps never need them, and "billion laughs" bombs do. The quick byte check
runs before parsing; the parsed DTD is checked too, for encodings (UTF-16, UTF-32) in
which the bytes of `<!ENTITY` look different.
"""

from __future__ import annotations

import re

from lxml import etree

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.I)
_REFUSED_ENTITIES = "the document declares XML entities (possible entity bomb); refused"


class XmlRefused(ValueError):
    pass


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True, recover=True)


def parse_xml(data: bytes) -> etree._Element:
    if _ENTITY_DECLARATION.search(data):
        raise XmlRefused(_REFUSED_ENTITIES)
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise XmlRefused(f"not well-formed XML: {exc}") from None
    if root is None:
        raise XmlRefused("no XML document")
    if _declares_entities(root):
        raise XmlRefused(_REFUSED_ENTITIES)
    return root


def _declares_entities(root: etree._Element) -> bool:
    """Whether the parsed document's DTDs declare any entity (general or parameter). The
    parser never expands them; this makes the refusal independent of the encoding. No
    external DTD is ever loaded, but it is checked too should one be there."""
    docinfo = root.getroottree().docinfo
    return any(dtd is not None and next(dtd.iterentities(), None) is not None
               for dtd in (docinfo.internalDTD, docinfo.externalDTD))


def local_name(element: etree._Element) -> str:
    """The tag without its namespace ('item' for '{http://...}item'); '' for non-elements."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if local_name(child) == name]


def child_text(element: etree._Element, *names: str) -> str | None:
    """Text of the first child with one of the names, tried in order."""
    for name in names:
        for child in children(element, name):
            text = (child.text or "").strip()
            if text:
                return text
    return None
