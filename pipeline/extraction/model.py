"""What the extractor produces: one Mention per protest incident mentioned in a sentence."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.dates.partial_date import PartialDate

EVENT_TYPES = ("summon", "protest_note", "protest_statement")


@dataclass
class Mention:
    actor: str
    target: str
    types: tuple[str, ...]  # sorted subset of EVENT_TYPES
    date: PartialDate | None
    date_explicit: bool  # the date came from the sentence itself, not a fallback
    reported_only: bool
    diplomat: str | None
    cause: str | None
    sentence: str
    char_start: int
    char_end: int
    rule: str
    confidence: float

    @property
    def event_type(self) -> str:
        """The most specific type: a summons outranks a note, a note a statement."""
        return next(t for t in EVENT_TYPES if t in self.types)
