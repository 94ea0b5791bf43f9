"""What a correction is. A correction names the mention it is about by an Anchor (the
article's URI and the evidence text, optionally the extracted actor>target pair): these
survive a re-extraction, unlike mention or incident ids."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.dates.partial_date import PartialDate

# accept: the analyst confirms the extracted row(s); reject: they are not protests;
# fix: new values; add: a missed incident; merge: two incidents are one; split: the anchored
# mention is an incident of its own.
ACTIONS = ("accept", "reject", "fix", "add", "merge", "split")
SCOPES = ("mention", "incident")
# The rule and confidence of every row an analyst decided.
ANALYST_RULE = "analyst"
ANALYST_CONFIDENCE = 1.0


class CorrectionsError(ValueError):
    """A corrections file or entry that cannot be used; the message names the entry."""


@dataclass(frozen=True)
class Anchor:
    article: str  # the article's URI, or its trailing path ("samples/a01.txt")
    evidence: str  # the evidence sentence, or a span of it, as in articles.text
    pair: tuple[str, str] | None = None  # (actor, target) of the extracted mention

    def describe(self) -> str:
        pair = f" {self.pair[0]}>{self.pair[1]}" if self.pair else ""
        evidence = self.evidence if len(self.evidence) <= 60 else self.evidence[:57] + "..."
        return f"{self.article}{pair} at {evidence!r}"


@dataclass(frozen=True)
class Changes:
    """New values of a fix, a split or an added incident; None leaves a value as extracted."""
    actor: str | None = None
    target: str | None = None
    date: PartialDate | None = None
    types: tuple[str, ...] | None = None
    reported_only: bool | None = None
    diplomat: str | None = None
    cause: str | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, name) is None for name in self.__dataclass_fields__)


@dataclass(frozen=True)
class Correction:
    id: str
    action: str
    anchor: Anchor
    why: str
    who: str
    when: str  # ISO date or date-time
    scope: str = "mention"
    changes: Changes = field(default_factory=Changes)
    into: Anchor | None = None  # merge: a mention of the incident to merge into

    @property
    def label(self) -> str:
        return f"correction {self.id!r} ({self.action})"
