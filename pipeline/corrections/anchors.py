"""Finding what a correction is about: the articles its URI names, the evidence in their
text, and the mentions whose evidence overlaps it. Offsets, not sentence equality: a new
extractor that splits sentences a little differently still lands on the same mention.
Anything short of exactly one place is a Miss with a reason, never a guess."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from pipeline.corrections.model import Anchor

# Why an anchor found nothing (corrections_unmatched.problem).
ARTICLE_NOT_FOUND = "article_not_found"
EVIDENCE_NOT_FOUND = "evidence_not_found"
EVIDENCE_AMBIGUOUS = "evidence_ambiguous"
NO_MENTION = "no_mention_at_evidence"
MENTION_AMBIGUOUS = "mention_ambiguous"


@dataclass(frozen=True)
class Miss:
    problem: str
    detail: str


@dataclass(frozen=True)
class Located:
    article: dict  # the article row (article_id, source, uri, published, text, text_hash)
    start: int
    end: int


def uri_matches(uri: str, key: str) -> bool:
    """The URI itself, or a URI ending with the key at a path boundary ("samples/a01.txt"),
    so that a corrections file outlives a move of the checkout."""
    key = key.strip()
    return uri == key or uri.endswith("/" + key.lstrip("/"))


def _evidence_pattern(evidence: str) -> re.Pattern:
    # Whitespace-insensitive: an analyst may re-wrap a quoted sentence.
    return re.compile(r"\s+".join(re.escape(word) for word in evidence.split()))


def locate(anchor: Anchor, articles: list[dict]) -> list[Located] | Miss:
    """The evidence's place in every article the anchor's URI names (one per copy of the
    article in several sources)."""
    named = [a for a in articles if uri_matches(a["uri"], anchor.article)]
    if not named:
        return Miss(ARTICLE_NOT_FOUND, f"no article with URI {anchor.article!r}")
    if not anchor.evidence.split():
        return Miss(EVIDENCE_NOT_FOUND, "the evidence is blank")
    pattern = _evidence_pattern(anchor.evidence)
    found, misses = [], []
    for article in named:
        spans = [m.span() for m in pattern.finditer(article["text"])]
        if len(spans) == 1:
            found.append(Located(article, *spans[0]))
        elif spans:
            misses.append(Miss(EVIDENCE_AMBIGUOUS, f"the evidence occurs {len(spans)} times in {article['uri']}: quote more of the sentence"))
        else:
            misses.append(Miss(EVIDENCE_NOT_FOUND, f"the evidence is not in the text of {article['uri']} (article changed?)"))
    return found or misses[0]


def mentions_at(place: Located, mentions_by_article: Mapping[str, list[dict]],
                pair: tuple[str, str] | None) -> list[dict] | Miss:
    """The one mention of that article whose evidence overlaps the place (and has the pair,
    when the anchor gives one)."""
    overlapping = [m for m in mentions_by_article.get(place.article["article_id"], [])
                   if m["char_start"] < place.end and place.start < m["char_end"]]
    # The pair as extracted or as corrected: either names the row an analyst saw.
    hits = [m for m in overlapping if pair is None or pair in ((m["actor"], m["target"]), m.get("extracted_pair"))]
    if len(hits) == 1:
        return hits
    where = place.article["uri"]
    if not hits:
        seen = sorted({f"{m['actor']}>{m['target']}" for m in overlapping})
        also = f" (there: {', '.join(seen)})" if seen else ""
        wanted = f" with pair {pair[0]}>{pair[1]}" if pair else ""
        return Miss(NO_MENTION, f"no mention{wanted} at the evidence in {where}{also}")
    pairs = ", ".join(sorted(f"{m['actor']}>{m['target']}" for m in hits))
    return Miss(MENTION_AMBIGUOUS, f"{len(hits)} mentions at the evidence in {where} ({pairs}): give 'pair'")


def resolve(anchor: Anchor, articles: list[dict], mentions_by_article: Mapping[str, list[dict]]) -> list[dict] | Miss:
    """The mentions an anchor names: one per copy of its article, or a Miss."""
    located = locate(anchor, articles)
    if isinstance(located, Miss):
        return located
    return mentions_located(anchor, located, mentions_by_article)


def mentions_located(anchor: Anchor, located: list[Located],
                     mentions_by_article: Mapping[str, list[dict]]) -> list[dict] | Miss:
    """resolve() for an anchor already located."""
    hits, miss = [], None
    for place in located:
        found = mentions_at(place, mentions_by_article, anchor.pair)
        if isinstance(found, Miss):
            miss = miss or found
        else:
            hits.extend(found)
    return hits or miss
