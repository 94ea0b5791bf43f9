"""One article as the extractor sees it: its text, states, dates, sentences, and what
earlier sentences established (the last actor, diplomat and date) for later ones."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from itertools import takewhile

from pipeline.extraction import cues
from pipeline.dates.expressions import STAMP_PREFIX, DateExpression, find_dates, resolve_dates, scan_dates
from pipeline.gazetteer import Entity, load_gazetteer
from pipeline.dates.partial_date import PartialDate
from pipeline.gazetteer.people import learn, with_people
from pipeline.extraction.sentences import Sentence, split_sentences

# "Myanmar('s) (top) envoy", not "Egypt recalls envoy"
ENVOY_AFTER = re.compile(r"(?:['’]s)?\s+(?:(?:top|new|former|chief|senior|acting|deputy|interim|outgoing|incoming|special|military|UN)\s+)?"
                          + cues.DIPLOMAT_WORDS + r"\b", re.I)
_FULL_KINDS = ("iso", "dotted", "dotted_named", "mdy", "dmy", "md", "dm")
_QUOTE = re.compile(r"“[^”\n]*(?:”|$)|\"[^\"\n]*(?:\"|$)", re.M)
# "Washington, DC", "BAKU, Nov. 6 (Reuters) -", "TEHRAN/ANKARA -", "ISLAMABAD: ", "ASTANA. ": a place opening the text.
_DATELINE_PLACE = re.compile(r"^\s*([A-Z][A-Za-z.' -]{2,30}?)(?:/[A-Z][A-Za-z ]+)?(?:,|:\s|(?<=[A-Z]{2})\.\s|\s+[-—–(]|\s*$)")
# A date that stamps the text rather than dating an event: " date 2019-08-31 ...", a dateline
# ("CAIRO, July 26 (Xinhua) --", "TALLINN, May 6. /TASS/.", "ANKARA (Agency - 25th June, 2021)").
_STAMP_BEFORE = re.compile(r"\s*(?:(?i:date|published|posted|updated)\s*:?\s*|(?P<place>[A-Z][A-Z.' /]{2,30}(?:,\s*|\s*\([^()]*)))$")
_STAMP_AFTER = re.compile(r"\s*(?:\d{1,2}:\d\d\s*(?:[AP]M\s*)?)?(?:[()]|--|[—–-]|\.\s*/)")
# A bare year ("the Bill 2018", "the 2017 treaty"), not a count ("2000 troops", "1,950") nor
# the end of a span ("the 2010 to 2015 government").
_BARE_YEAR = re.compile(r"(?<![\d,.$€£])(?<!to )(?<![-–])\b((?:19|20)\d\d)\b(?![.,]?\d)(?!\s+[a-z])")
LEAD_WINDOW_DAYS = 7
LEAD_SENTENCES = 3


@dataclass
class Article:
    text: str
    published: date | None
    entities: list[Entity]
    entity_starts: list[int]
    dates: list[DateExpression] | None  # all of the text's dates, when they were needed up front
    reference_year: int | None
    home: str | None  # the state the article speaks for when a sentence names no actor
    home_told: bool  # the home state is the dateline's or the title's, not a guess from counts
    anchor: PartialDate | None  # without a publication day: the latest day (or month) named
    quote_spans: list[tuple[int, int]] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    title_entities: list[Entity] = field(default_factory=list)
    last_actor: str | None = None  # the last actor named outright, for "the ministry said"
    last_date: PartialDate | None = None  # the last incident's own date, for "the same day"
    lead_target: str | None = None  # the target of the article's first incident
    last_diplomat: tuple[tuple[str, ...], str | None] | None = None  # (codes, name), for "summoned him"
    last_group: tuple[tuple[str, ...], int] | None = None  # (codes, sentence start) of a list, for "those countries"
    people: dict[str, tuple[str, str]] | None = None  # officials named by office, learned on demand
    cause_dates: set[int] = field(default_factory=set)  # where dates of things protested stand, not of protests
    dropped: list[tuple[Sentence, str, str]] = field(default_factory=list)  # (sentence, rule, reason) of triggers that gave no mention
    _sentence_dates: dict[int, list[DateExpression]] = field(default_factory=dict)

    def learn_people(self, people: dict[str, tuple[str, str]] | None = None) -> dict[str, tuple[str, str]]:
        """Once: the officials the text names by office ("Ruritanian President Ann Vell"),
        or those given (a title's, from its article), become entities wherever named."""
        if self.people is None:
            self.people = learn(self.text, self.entities) if people is None else people
            self.entities = with_people(self.text, self.entities, self.people)
            self.entity_starts = [e.start for e in self.entities]
        return self.people

    @cached_property
    def lead_date(self) -> date | None:
        """The day the lede's news happened ("YEREVAN, Aug 31 - ... on Friday"): the earliest
        day that the first of its opening sentences to name one names, within a week before
        publication (a stamp or dateline names the publication day)."""
        if self.published is None:
            return None
        for sentence in self.sentences[:LEAD_SENTENCES]:
            days = [d.value.first_day for d in self._dates_with_stamps(sentence)
                    if d.value is not None and d.value.precision == "day"
                    and 0 <= (self.published - d.value.first_day).days <= LEAD_WINDOW_DAYS]
            if days:
                return min(days)
        return None

    @cached_property
    def named_states(self) -> list[str]:
        """The states the text names more than once, most often first (the first named of equals)."""
        counts = Counter(e.code for e in self.entities)
        return sorted((c for c in counts if counts[c] > 1), key=counts.get, reverse=True)

    @cached_property
    def sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def index_of(self, sentence: Sentence) -> int:
        """The sentence's position in the article (sentences is fixed once built)."""
        return bisect.bisect_left(self.sentence_starts, sentence.start)

    def earlier_in_paragraph(self, sentence: Sentence) -> list[Sentence]:
        """The sentences before this one in its paragraph, nearest first."""
        index = self.index_of(sentence)
        return list(takewhile(lambda s: s.paragraph == sentence.paragraph, reversed(self.sentences[:index])))

    def near(self, sentence: Sentence, start: int) -> bool:
        """Whether the sentence starting at start is this one, the one before it, or earlier in its paragraph."""
        index = self.index_of(sentence)
        return start == sentence.start or (index > 0 and self.sentences[index - 1].start == start) or any(
            s.start == start for s in self.earlier_in_paragraph(sentence))

    def entities_in(self, start: int, end: int) -> list[Entity]:
        lo = bisect.bisect_left(self.entity_starts, start)
        hi = bisect.bisect_left(self.entity_starts, end)
        return [e for e in self.entities[lo:hi] if e.end <= end]

    def dates_in(self, sentence: Sentence) -> list[DateExpression]:
        """Dates of one sentence, offsets into the article, without the stamps that open it."""
        return [d for d in self._dates_with_stamps(sentence) if not self._stamp(sentence, d)]

    def _dates_with_stamps(self, sentence: Sentence) -> list[DateExpression]:
        """(Parsed on demand: with a publication day, only sentences with a trigger need their dates.)"""
        if self.dates is not None:
            return [d for d in self.dates if sentence.start <= d.start < sentence.end]
        cached = self._sentence_dates.get(sentence.start)
        if cached is None:
            cached = [
                DateExpression(d.start + sentence.start, d.end + sentence.start, d.kind, d.text, d.value)
                for d in find_dates(sentence.text, self.published, self.reference_year)
            ]
            self._sentence_dates[sentence.start] = cached
        return cached

    def _stamp(self, sentence: Sentence, expr: DateExpression) -> bool:
        before = _STAMP_BEFORE.match(self.text, sentence.start, expr.start)
        return bool(before) and (before.group("place") is None or bool(_STAMP_AFTER.match(self.text, expr.end)))

    def in_quote(self, position: int, unless_with: int | None = None) -> bool:
        """Whether position is inside quotation marks, and not in the same quotation as unless_with."""
        return any(s <= position < e and not (unless_with is not None and s <= unless_with < e)
                   for s, e in self.quote_spans)


def _reference_year(text: str, dates: list[DateExpression], year_hint: int | None) -> int | None:
    """Without a publication day: the latest past year the text names, as a date or bare."""
    if year_hint:
        return year_hint
    this_year = date.today().year
    years = [d.value.year for d in dates if d.value is not None] + [int(y) for y in _BARE_YEAR.findall(text)]
    return max((y for y in years if y <= this_year), default=None)


def _anchor(dates: list[DateExpression], reference_year: int | None) -> PartialDate | None:
    """Without a publication day: the latest day the article names, else its latest month,
    if it is in the article's year (a photo caption's "July 2017" does not date a 2018 text)."""
    days = [d.value for d in dates if d.kind in _FULL_KINDS and d.value is not None]
    months = [d.value for d in dates if d.kind == "my" and d.value is not None]
    latest = max(days or months, key=lambda v: v.first_day, default=None)
    return latest if latest is not None and latest.year == reference_year else None


def _protested_in_title(title: str | None, title_entities: list[Entity]) -> set[str]:
    """The states a title protests against: those after its first protest verb or noun
    ("Foreign Ministry condemns Cambodian attacks"), not an agent ("... condemned by X") nor
    a victim ("condemn attack on Mexican embassy")."""
    if not title_entities:
        return set()  # no state named: nothing to tell apart (and 15 regexes saved)
    found = [pattern.search(title) for pattern in _SPEAKING_TRIGGERS]
    first = min((m.start() for m in found if m), default=None)
    if first is None:
        return set()
    speakers = {e.code for e in title_entities if e.start < first or _BY.search(title, first, e.start)}
    return {e.code for e in title_entities if not _VICTIM.match(title, e.end)} - speakers


_BY = re.compile(r"\bby\b", re.I)
# The triggers whose subject protests ("X condemns", "X's protest"): a title's first one parts speakers from the protested.
_SPEAKING_TRIGGERS = [pattern for _, voice, pattern in cues.TRIGGERS.values() if voice in ("agent", "noun")]
_VICTIM = re.compile(r"(?:['’]s)?\s+(?:embassy|consulate|mission|diplomats?|nationals|citizens)\b", re.I)  # "Mexican Embassy assault"
# "lodged a protest with (before) the Chinese Ministry": the protested state's (but "summoned to the X ministry": X's).
_RECEIVING_MINISTRY = re.compile(r"\b(?:before|with)\s+the\s+(?:\w+\s+){0,2}$", re.I)


def _home_state(title: str | None, title_entities: list[Entity], text: str, entities: list[Entity],
                gazetteer) -> tuple[str | None, bool]:
    """Whose voice the article is in, and whether its title or dateline tell it (else the parse
    may find better, extractor.py): the title's first state (not a summoned envoy's: "Myanmar
    ambassador summoned", nor one the title protests against), else a dateline's place
    ("Washington, DC", "BAKU, Nov. 6 -"), else the state of the first foreign ministry named
    (not one a protest is lodged with), else the state named most often."""
    protested = _protested_in_title(title, title_entities)
    speaking = [e for e in title_entities if not ENVOY_AFTER.match(title or "", e.end) and e.code not in protested]
    # ("Foreign Office makes statement ...": a ministry name several states use says nothing of whose)
    if speaking and not gazetteer.is_shared_ministry(speaking[0]):
        return speaking[0].code, True
    for line in text.split("\n", 4)[:4]:
        place = _DATELINE_PLACE.match(STAMP_PREFIX.sub("", line))
        if place:
            entry = gazetteer.lookup(place.group(1).title()) or gazetteer.lookup(place.group(1))
            if entry is not None and entry.kind in ("capital", "name") and entry.code not in protested:
                return entry.code, True
    entities = [e for e in entities if e.code not in protested]
    for match in cues.MINISTRY.finditer(text[:3000]):
        if _RECEIVING_MINISTRY.search(text, max(0, match.start() - 40), match.start()):
            continue
        near = [e for e in entities if (abs(e.end - match.start()) < 25 or abs(match.end() - e.start) < 8)
                and not gazetteer.is_shared_ministry(e)]  # "Foreign Office" itself is anyone's
        if near:
            return min(near, key=lambda e: abs(e.end - match.start())).code, False
    counts = Counter(e.code for e in entities)
    return (max(counts, key=counts.get) if counts else None), False


_SHOUTED = re.compile(r"^[^a-z\n]*[A-Z]{3}[^a-z\n]*$", re.M)  # a line in capitals: "NEPAL SUMMONS INDIA ENVOY"


def _names(text: str, gazetteer) -> list[Entity]:
    """The gazetteer's names (case-sensitive), also those of a line written in capitals."""
    found = gazetteer.find(text)
    for line in _SHOUTED.finditer(text):
        titled = line.group().title()
        if len(titled) != len(line.group()):
            continue
        taken = [(e.start, e.end) for e in found if line.start() <= e.start < line.end()]
        found += [e._replace(start=line.start() + e.start, end=line.start() + e.end)
                  for e in gazetteer.find(titled)
                  if not any(line.start() + e.start < end and start < line.start() + e.end for start, end in taken)]
    return sorted(found)


def build_article(text: str, published: date | None, title: str | None, year_hint: int | None,
                  sentences: list[Sentence] | None = None) -> Article:
    gazetteer = load_gazetteer()
    entities = _names(text, gazetteer)
    dates, reference_year = None, published.year if published else None
    if published is None:
        # No publication day: the article's own dates give the year and the anchor.
        scanned = scan_dates(text)
        reference_year = _reference_year(text, resolve_dates(scanned), year_hint)
        dates = resolve_dates(scanned, None, reference_year)
    title_entities = _names(title, gazetteer) if title else []
    home, home_told = _home_state(title, title_entities, text, entities, gazetteer)
    return Article(
        text=text, published=published, entities=entities, entity_starts=[e.start for e in entities],
        dates=dates, reference_year=reference_year, home=home, home_told=home_told,
        anchor=_anchor(dates or [], reference_year), quote_spans=[m.span() for m in _QUOTE.finditer(text)],
        title_entities=title_entities, sentences=sentences if sentences is not None else split_sentences(text),
    )
