"""Cheap tests that rule text out before a slow regex.

Python's re tries a case-insensitive pattern that opens with a word boundary at every
position of the text, which costs far more than a substring test. So a pattern is only
run on text that has a word it cannot match without. Every guard must be a necessary
condition: it may let through text the pattern then rejects, never the other way round.
"""

from __future__ import annotations

# re.IGNORECASE also matches "ſ" (long s) to s, and "ı" and "İ" to i, which str.lower()
# keeps apart (the Kelvin sign lowercases to k): text with any of them always goes on to
# the regex.
_FOLD_ODDITIES = ("\u017f", "\u0131", "\u0130")


def may_contain(lowered: str, words: tuple[str, ...], text: str) -> bool:
    """Whether text (lowered is text.lower()) may hold one of these lowercase words, as a
    re.IGNORECASE pattern sees them."""
    for word in words:  # a plain loop: measurably faster than any() over a generator
        if word in lowered:
            return True
    for odd in _FOLD_ODDITIES:
        if odd in text:
            return True
    return False
