"""Sentence splitting for news text, with character offsets into the article text.

Lines are hard boundaries (clean text keeps one paragraph per line). Inside a line a
sentence ends at . ! ? (and any closing quotes) followed by a capitalised word (after a
space, or glued to it when the page ran two paragraphs together), except
after abbreviations ("Nov.", "Dep.", "Mr."), initials ("J. Smith") and dotted acronyms
("U.S. Ambassador"), where only a sentence-opening word ("The", "He") starts a new one.
"""

from __future__ import annotations

import re
from typing import NamedTuple

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "gen", "col", "lt", "maj", "capt", "sgt", "adm",
    "sen", "rep", "gov", "pres", "amb", "min", "dep", "dept", "no", "nos", "vs", "etc", "inc", "ltd", "co",
    "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "approx", "est", "fig", "vol", "art", "para", "ch", "mt", "ft", "hon", "rev", "messrs", "p", "pp",
}
OPENERS = {
    "The", "A", "An", "He", "She", "It", "They", "We", "I", "This", "That", "These", "Those", "In",
    "On", "At", "But", "And", "However", "Meanwhile", "Earlier", "Later", "Also", "According", "As",
    "Its", "His", "Her", "Their", "There", "After", "Before", "When", "While", "Last", "For",
}

# ... or, glued to the next sentence with no space ("against them.The ministry"): paragraphs
# some sites' text runs together. Only after a lowercase word, before a capitalised one.
# Every match opens with the mark itself, so the regex engine skips ahead to the next . ! ?
_CANDIDATE = re.compile(r"[.!?](?:[.!?]*[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|(?<=[a-z][a-z][.!?])[\"”’]?(?=[A-Z][a-z]))")
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.")
_NEXT_WORD = re.compile(r"\s+[\"'“‘(\[]?([A-Za-z0-9]+)")


class Sentence(NamedTuple):  # a NamedTuple: built by the thousand, cheaper than a frozen dataclass
    start: int
    end: int
    text: str
    paragraph: int  # index of the line/paragraph it belongs to


def _word_before(line: str, end: int) -> str:
    """The ASCII word (letters and dots, e.g. "U.S") ending at end, or "". Walks back from
    end instead of a regex search anchored at $, which rescans the line from its start."""
    start = end
    while start > 0 and line[start - 1] in _TOKEN_CHARS:
        start -= 1
    return line[start:end].lstrip(".")


def _is_boundary(line: str, dot_at: int, after: int) -> bool:
    if line[dot_at] in "!?":
        return True
    token = _word_before(line, dot_at)
    if token.lower().rstrip(".") in ABBREVIATIONS or (len(token) == 1 and token.isupper()) or "." in token:
        next_match = _NEXT_WORD.match(line, after)
        return (next_match.group(1) if next_match else "") in OPENERS
    return True


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    offset = 0
    for paragraph, line in enumerate(text.split("\n")):
        start = 0
        for match in _CANDIDATE.finditer(line):
            if not _is_boundary(line, match.start(), match.end()):
                continue
            _append(sentences, line, start, match.end(), offset, paragraph)
            start = match.end()
        _append(sentences, line, start, len(line), offset, paragraph)
        offset += len(line) + 1
    return sentences


def _append(sentences: list[Sentence], line: str, start: int, end: int, offset: int, paragraph: int) -> None:
    chunk = line[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    s = offset + start + lead
    sentences.append(Sentence(s, s + len(stripped), stripped, paragraph))
