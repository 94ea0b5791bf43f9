"""Scoring extracted incidents against a gold file (the format: docs/gold_format.md).

Per article (gold id = file stem of the article's URI), the predicted incidents are the
distinct incidents its mentions belong to, each with the article's own most precise date
for it and the union of its types in that article. A predicted incident matches a gold one
when actor and target are equal and the dates are compatible: one contains the other
(2019-11 and 2019-11-06) or they are at most DATE_TOLERANCE_DAYS apart. Matching is
one-to-one, closest dates first.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.error_classes import EvaluationError, classify
from pipeline.evidence import same_sentence
from pipeline.dates.partial_date import PartialDate

DATE_TOLERANCE_DAYS = 3


class GoldFileError(ValueError):
    pass


@dataclass(frozen=True)
class Incident:
    actor: str
    target: str
    date: PartialDate | None
    types: frozenset[str]
    reported_only: bool = False
    # Where a predicted incident came from, for the error listing; not part of its identity.
    evidence: str = field(default="", compare=False)
    rule: str = field(default="", compare=False)
    sentences: tuple[str, ...] = field(default=(), compare=False)  # predicted: every mention's sentence
    key: str = field(default="", compare=False)  # gold: the line's key, which evidence lines name


@dataclass(frozen=True)
class PossibleMiss:
    """A near-miss sentence of the review queue (table near_misses), as evaluate reads it."""
    states: frozenset[str]
    sentence: str = ""
    reason: str = ""


@dataclass
class ArticleGold:
    id: str
    relevant: bool
    incidents: list[Incident]
    dated: bool = True  # the gold gives a publication date ("published" not null)


@dataclass
class Scores:
    articles: int = 0
    gold_incidents: int = 0
    predicted_incidents: int = 0
    matched: int = 0
    types_exact: int = 0
    dates_exact: int = 0
    relevance_tp: int = 0
    relevance_fp: int = 0
    relevance_fn: int = 0
    # The review queue's possible misses (near_misses): how many rows the gold articles get, and
    # how many missed gold incidents one of them points at (naming the actor or the target).
    possible_miss_rows: int = 0
    missed_flagged: int = 0
    # With gold evidence (pipeline/evidence.py): matched incidents whose gold names its
    # sentences, and how many of them the extractor found in one of those sentences.
    evidence_checked: int = 0
    evidence_found: int = 0
    # ... and what became of the evidence sentence of each missed incident: "no trigger",
    # "dropped: <near-miss reason>", "read as another pair".
    missed_fates: Counter = field(default_factory=Counter)
    errors: list[EvaluationError] = field(default_factory=list)

    @staticmethod
    def _ratio(num: int, den: int) -> float:
        return num / den if den else 0.0

    @property
    def precision(self) -> float:
        return self._ratio(self.matched, self.predicted_incidents)

    @property
    def recall(self) -> float:
        return self._ratio(self.matched, self.gold_incidents)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def relevance_precision(self) -> float:
        return self._ratio(self.relevance_tp, self.relevance_tp + self.relevance_fp)

    @property
    def relevance_recall(self) -> float:
        return self._ratio(self.relevance_tp, self.relevance_tp + self.relevance_fn)

    @property
    def relevance_f1(self) -> float:
        p, r = self.relevance_precision, self.relevance_recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {
            "articles": self.articles, "gold_incidents": self.gold_incidents,
            "predicted_incidents": self.predicted_incidents, "matched": self.matched,
            "incident_precision": round(self.precision, 4), "incident_recall": round(self.recall, 4),
            "incident_f1": round(self.f1, 4),
            "type_accuracy": round(self._ratio(self.types_exact, self.matched), 4),
            "exact_date_accuracy": round(self._ratio(self.dates_exact, self.matched), 4),
            "relevance_precision": round(self.relevance_precision, 4),
            "relevance_recall": round(self.relevance_recall, 4),
            "relevance_f1": round(self.relevance_f1, 4),
            "missed": self.missed, "missed_flagged_by_possible_miss": self.missed_flagged,
            "possible_miss_rows": self.possible_miss_rows,
        } | ({"evidence_checked": self.evidence_checked,
              "found_in_evidence": round(self._ratio(self.evidence_found, self.evidence_checked), 4)}
             if self.evidence_checked else {})

    @property
    def missed(self) -> int:
        return sum(error.kind == "missed" for error in self.errors)


def _parse_date(value) -> PartialDate | None:
    if value in (None, ""):
        return None
    try:
        parsed = PartialDate.parse(str(value))
        parsed.first_day, parsed.last_day  # noqa: B018 - a month 13 or a day 45 parses but is no date
    except (ValueError, TypeError, AttributeError):
        raise GoldFileError(f"bad date {value!r}") from None
    return parsed


def _text(record: dict, key: str, where: str = "") -> str:
    value = record.get(key) if isinstance(record, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise GoldFileError(f"{where}{key!r} must be a non-empty string, got {value!r}")
    return value.strip()


def _flag(record: dict, key: str, default: bool, where: str = "") -> bool:
    value = record.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise GoldFileError(f"{where}{key!r} must be true or false, got {value!r}")
    return value


def _gold_incident(number: int, item) -> Incident:
    where = f"incident #{number}: "
    if not isinstance(item, dict):
        raise GoldFileError(f"{where}expected an object, got {type(item).__name__}")
    types = item.get("types") or []
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise GoldFileError(f"{where}'types' must be a list of strings, got {types!r}")
    return Incident(_text(item, "actor", where), _text(item, "target", where), _parse_date(item.get("date")),
                    frozenset(types), _flag(item, "reported_only", False, where),
                    evidence=str(item.get("cause") or ""), key=str(item.get("key") or ""))


def _gold_article(record) -> ArticleGold:
    if not isinstance(record, dict):
        raise GoldFileError(f"expected a JSON object, got {type(record).__name__}")
    if "id" not in record:
        raise GoldFileError("no 'id'")
    article_id = record["id"]
    if not isinstance(article_id, (str, int)) or isinstance(article_id, bool) or not str(article_id).strip():
        raise GoldFileError(f"'id' must be a file stem, got {article_id!r}")
    raw = record.get("incidents") or []
    if not isinstance(raw, list):
        raise GoldFileError(f"'incidents' must be a list, got {type(raw).__name__}")
    incidents = [_gold_incident(n, item) for n, item in enumerate(raw, start=1)]
    return ArticleGold(str(article_id), _flag(record, "relevant", bool(incidents)), incidents,
                       dated=bool(record.get("published")))


def load_gold(path: Path | str) -> tuple[list[ArticleGold], list[str]]:
    """Gold articles plus one message per line that could not be used (never a crash).

    A line is used whole or not at all; a missing or unreadable file is a GoldFileError."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GoldFileError(f"cannot read gold file {str(path)!r}: {exc.strerror or exc}") from None
    articles, problems, seen = [], [], {}
    for number, raw_line in enumerate(data.splitlines(), start=1):
        try:
            line = raw_line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            problems.append(f"line {number}: not UTF-8 text ({exc.reason} at byte {exc.start})")
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:
            # JSONDecodeError is a ValueError; json.loads also raises a plain ValueError for an
            # integer past Python's 4300-digit limit and RecursionError for deep nesting.
            problems.append(f"line {number}: {type(exc).__name__}: {exc}")
            continue
        try:
            article = _gold_article(record)
        except GoldFileError as exc:
            problems.append(f"line {number}: GoldFileError: {exc}")
            continue
        if article.id in seen:
            problems.append(f"line {number}: GoldFileError: id {article.id!r} already given on line {seen[article.id]}")
            continue
        seen[article.id] = number
        articles.append(article)
    return articles, problems


def _date_distance(a: PartialDate | None, b: PartialDate | None) -> int | None:
    """0 when compatible, the gap in days when close enough, None when incompatible."""
    if a is None or b is None:
        return 0 if a is None and b is None else None
    if a.compatible(b):
        return 0
    gap = min(abs((a.first_day - b.last_day).days), abs((b.first_day - a.last_day).days))
    return gap if gap <= DATE_TOLERANCE_DAYS else None


def match(gold: list[Incident], predicted: list[Incident]) -> list[tuple[Incident, Incident]]:
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            if g.actor == p.actor and g.target == p.target:
                distance = _date_distance(g.date, p.date)
                if distance is not None:
                    exact = int(g.date != p.date)
                    candidates.append((distance, exact, gi, pi))
    pairs, used_g, used_p = [], set(), set()
    for _, _, gi, pi in sorted(candidates):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gold[gi], predicted[pi]))
    return pairs


def score(gold: list[ArticleGold], predicted: dict[str, list[Incident]],
          near_misses: dict[str, list[PossibleMiss]] | None = None,
          evidence: dict[tuple[str, str], list[str]] | None = None) -> Scores:
    """near_misses: per article, its possible-miss sentences and the states each names.
    evidence: per (article id, gold key), the sentences that state the incident."""
    scores = Scores()
    for article in gold:
        preds = predicted.get(article.id, [])
        scores.articles += 1
        scores.gold_incidents += len(article.incidents)
        scores.predicted_incidents += len(preds)
        pairs = match(article.incidents, preds)
        scores.matched += len(pairs)
        scores.types_exact += sum(g.types == p.types for g, p in pairs)
        scores.dates_exact += sum(g.date == p.date for g, p in pairs)
        said_relevant = bool(preds)
        scores.relevance_tp += article.relevant and said_relevant
        scores.relevance_fp += (not article.relevant) and said_relevant
        scores.relevance_fn += article.relevant and not said_relevant
        errors = classify(article.id, article.incidents, preds, pairs, lambda a, b: _date_distance(a, b) is not None)
        flags = (near_misses or {}).get(article.id, [])
        if evidence:
            errors = _check_evidence(scores, article.id, pairs, evidence) + [
                _evidence_fate(scores, e, evidence, preds, flags) if e.kind == "missed" else e for e in errors]
        scores.errors += errors
        scores.possible_miss_rows += len(flags)
        scores.missed_flagged += sum(1 for e in errors if e.kind == "missed"
                                     and any(e.gold.actor in flag.states or e.gold.target in flag.states for flag in flags))
    return scores


def _check_evidence(scores: Scores, article_id: str, pairs: list[tuple[Incident, Incident]],
                    evidence: dict[tuple[str, str], list[str]]) -> list[EvaluationError]:
    """Count the matched incidents found in a sentence the gold names as their evidence; the
    others are errors of their own: the right incident, read from a sentence that does not tell it."""
    errors = []
    for gold, found in pairs:
        told = evidence.get((article_id, gold.key))
        if not told:
            continue
        scores.evidence_checked += 1
        if any(same_sentence(sentence, evidence_sentence) for sentence in found.sentences for evidence_sentence in told):
            scores.evidence_found += 1
        else:
            errors.append(EvaluationError(article_id, "elsewhere", gold, found))
    return errors


def _evidence_fate(scores: Scores, error: EvaluationError, evidence: dict[tuple[str, str], list[str]],
                   predicted: list[Incident], flags: list[PossibleMiss]) -> EvaluationError:
    """A missed incident whose gold names its sentences: what the extractor did with them (a
    trigger dropped, with the reason; the sentence read as another pair; no trigger at all),
    listed with the evidence sentence instead of the annotator's words."""
    told = evidence.get((error.article_id, error.gold.key))
    if not told:
        return error
    dropped = next((flag.reason for flag in flags for sentence in told if same_sentence(flag.sentence, sentence)), None)
    if dropped is not None:
        fate = f"dropped: {dropped}"
    elif any(same_sentence(found, sentence) for p in predicted for found in p.sentences for sentence in told):
        fate = "read as another pair"
    else:
        fate = "no trigger"
    scores.missed_fates[fate] += 1
    return replace(error, gold=replace(error.gold, evidence=told[0]), detail=fate)
