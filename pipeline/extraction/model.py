"""What the extractor produces: one Mention per protest incident mentioned in a sentence, and
one NearMiss per sentence where a trigger fired but yielded no mention (for analysts to review)."""

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


# Why a trigger yielded no mention (NearMiss.reason):
#   guard_word        a word that cancels it shares its clause (denial, habit, street protest, credentials ...)
#   not_diplomatic    a summons by a court or police, an invitation away from the ministry, a recall for consultations
#   no_grievance      a note that names no protest or grievance (a note verbale on visas)
#   complaint_to_body a complaint to a court or a trade body
#   unreal            negated, planned, conditional or asked ("may summon", "did not protest")
#   no_roles          the grammar gave no actor or no target
#   same_state        actor and target came out the same state
#   no_anchor         the parse has no word for the trigger
NEAR_MISS_REASONS = ("guard_word", "not_diplomatic", "no_grievance", "complaint_to_body", "unreal", "no_roles",
                     "same_state", "no_anchor")


@dataclass(frozen=True)
class NearMiss:
    """A sentence naming a state where a trigger fired and no mention came of it: where
    missed incidents hide. Its first dropped trigger's rule and reason."""
    sentence: str
    char_start: int
    char_end: int
    rule: str
    reason: str  # one of NEAR_MISS_REASONS
    states: tuple[str, ...]  # codes of the states (and groups) the sentence names, sorted


@dataclass
class Extraction:
    """What the extractor found in one article."""
    mentions: list[Mention]
    near_misses: list[NearMiss]
