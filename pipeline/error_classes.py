"""Error analysis for `demarche evaluate -v`: every wrong or missing incident of an article,
put in the class that says where the extractor should be fixed.

After the one-to-one match, an unmatched gold incident and an unmatched predicted incident of
the same article are taken as ONE error when they are the same incident gone wrong (roles
swapped, one role wrong, the date off); what is left is missed (gold only) or spurious
(predicted only). Matched pairs can still be off in their exact date or types.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable

from pipeline.dates.partial_date import PartialDate

# The classes, in the order they are tried for an unmatched pair and printed in the summary.
PAIRED_CLASSES = ("reversed", "wrong_date", "wrong_actor", "wrong_target")
CLASSES = PAIRED_CLASSES + ("missed", "spurious", "inexact_date", "wrong_types")
# With gold evidence only: matched, but from a sentence that does not tell the incident.
EVIDENCE_CLASSES = ("elsewhere",)


@dataclass(frozen=True)
class EvaluationError:
    article_id: str
    kind: str
    gold: object | None        # evaluation.Incident
    predicted: object | None   # evaluation.Incident
    detail: str = ""           # with gold evidence, a missed incident's: what became of its sentence

    def line(self) -> str:
        evidence = self.predicted if self.predicted is not None else self.gold
        sentence = getattr(evidence, "evidence", "") or ""
        rule = getattr(self.predicted, "rule", "") or "-"
        return (f"{self.article_id}: {self.kind:<12} gold {_describe(self.gold)} | predicted "
                f"{_describe(self.predicted)} | rule {rule}" + (f" | evidence {self.detail}" if self.detail else "")
                + (f' | "{_shorten(sentence)}"' if sentence else ""))


def _describe(incident) -> str:
    if incident is None:
        return "-"
    when = incident.date.iso() if incident.date else "-"
    return f"{incident.actor}>{incident.target} {when} {','.join(sorted(incident.types))}"


def _shorten(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pair_test(kind: str, dates_compatible: Callable) -> Callable:
    def same_dyad(g, p):
        return g.actor == p.actor and g.target == p.target

    tests = {
        "reversed": lambda g, p: g.actor == p.target and g.target == p.actor and dates_compatible(g.date, p.date),
        "wrong_date": same_dyad,  # same dyad that did not match: the dates are incompatible
        "wrong_actor": lambda g, p: g.target == p.target and g.actor != p.actor and dates_compatible(g.date, p.date),
        "wrong_target": lambda g, p: g.actor == p.actor and g.target != p.target and dates_compatible(g.date, p.date),
    }
    return tests[kind]


def classify(article_id: str, gold: list, predicted: list, pairs: list[tuple],
             dates_compatible: Callable[[PartialDate | None, PartialDate | None], bool]) -> list[EvaluationError]:
    errors = []
    matched_gold = {id(g) for g, _ in pairs}
    matched_pred = {id(p) for _, p in pairs}
    left_gold = [g for g in gold if id(g) not in matched_gold]
    left_pred = [p for p in predicted if id(p) not in matched_pred]
    for kind in PAIRED_CLASSES:
        test = _pair_test(kind, dates_compatible)
        for g in list(left_gold):
            partner = next((p for p in left_pred if test(g, p)), None)
            if partner is not None:
                errors.append(EvaluationError(article_id, kind, g, partner))
                left_gold.remove(g)
                left_pred.remove(partner)
    errors += [EvaluationError(article_id, "missed", g, None) for g in left_gold]
    errors += [EvaluationError(article_id, "spurious", None, p) for p in left_pred]
    for g, p in pairs:
        if g.date != p.date:
            errors.append(EvaluationError(article_id, "inexact_date", g, p))
        if g.types != p.types:
            errors.append(EvaluationError(article_id, "wrong_types", g, p))
    return errors


def summary(errors: list[EvaluationError]) -> list[str]:
    """One line per class: how many, and what a pair or a miss costs (false positive, false negative)."""
    counts = Counter(error.kind for error in errors)
    cost = {kind: "1 FP + 1 FN" for kind in PAIRED_CLASSES}
    cost.update(missed="1 FN", spurious="1 FP", inexact_date="matched", wrong_types="matched",
                elsewhere="matched, not from a sentence the gold's evidence names")
    shown = CLASSES + tuple(kind for kind in EVIDENCE_CLASSES if counts.get(kind))
    return [f"{kind:>14}: {counts.get(kind, 0):4}  ({cost[kind]})" for kind in shown]
