"""Finding date expressions in text and resolving them against a reference day.

Each expression is found with its character span so the extractor can tell which date
belongs to which clause ("summoned on Nov. 6 over a visit on Nov. 3").
Resolution rules:
  * full dates ("November 6, 2019", "6.11.2019", "2019-11-06") stand alone;
  * a day and month without a year takes the reference year, or the year before when that
    would put it after the reference day (news reports the past);
  * weekdays, "yesterday", "today" resolve to a day; "last week" / "last month" to the
    coarsest precision that covers the whole span they may mean;
  * without a reference day, relative expressions do not resolve.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from pipeline.guards import may_contain
from pipeline.dates.partial_date import PartialDate

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}

_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d\d"  # a year of the news: 1900-2099 (shared with plain-text cleaning)
_YEAR = rf"(?P<year>{YEAR})"
# The stored pages' own stamp opening a text (" date 2020-06-28 Lebanon's ministry ..."), before
# its headline or dateline.
STAMP_PREFIX = re.compile(rf"^\s*date\s+{YEAR}(?:-[01]\d(?:-[0-3]\d)?)?\s+(?=\S)", re.I)

_PATTERNS: list[tuple[str, str]] = [
    ("iso", rf"\b{_YEAR}-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
    ("dotted", rf"\b(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.{_YEAR}\b"),
    # "5.May.2020", "11-May-2020" (a stamp's form: "Updated 19:18, 11-May-2020")
    ("dotted_named", rf"\b(?P<day>[0-3]?\d)(?P<sep>[.-])(?P<month>[A-Z][a-z]{{2,8}})(?P=sep){_YEAR}\b"),
    ("mdy", rf"\b{_MONTH}\s+{_DAY}(?:,\s*|\s+){_YEAR}\b"),  # "Sep 13, 2024", a stamp's "Sep 13,2024"
    ("dmy", rf"\b{_DAY}\.?\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b"),  # ... "18. Apr 2019" (a stamp's form)
    ("md", rf"\b{_MONTH}\s+{_DAY}\b(?!\s*(?:,\s*)?{YEAR})(?!\d|\.\d)"),
    ("dm", rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b(?!,?\s+{YEAR})"),
    ("my", rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}\b"),
    ("m", r"\b(?i:in|on|since|during|early|late|mid|mid-|last|this|until|by)\s+(?:-\s*)?(?P<month>January|February|March|April|June|July|August|September|October|November|December)\b(?![\s,]+(?:\d|of\s+\d))"),
    ("y", rf"\b(?i:in|of|since|during|from|by|early|late|mid|mid-|until|before|after)\s+(?:-\s*)?{_YEAR}\b(?!\s*[-–]\s*\d)"),
    ("weekday", r"\b(?P<prefix>(?i:on\s+|last\s+|this\s+|late\s+|early\s+))?(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"),
    ("relday", r"(?i:\b(?P<rel>yesterday|today|earlier today|earlier in the day|the day before|on the same day|tonight|"
               r"(?:two|three|four|five|six|\d)\s+days\s+ago|a\s+week\s+ago)\b)"),
    ("relspan", r"(?i:\b(?P<span>last week|earlier this week|this week|last month|earlier this month|this month|last year|earlier this year|this year)\b)"),
]



_COMPILED = [(kind, re.compile(pattern)) for kind, pattern in _PATTERNS]

# Cheap guards (see guards.py): a form is only tried on text that has what it cannot
# match without. They are substrings, or regexes without a leading \b or IGNORECASE,
# which Python scans fast; the forms' own regexes are slow to try at every position.
_DIGIT = re.compile(r"\d")
_YEAR_DIGITS = re.compile(YEAR)
_MONTH_PREFIX = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"  # how every _MONTH starts
_HAS_MONTH = re.compile(_MONTH_PREFIX)
_MONTH_THEN_DIGIT = re.compile(_MONTH_PREFIX + r"[a-z]*\.?,?\s+(?:of\s+)?\d")  # mdy, md, my
_DIGIT_THEN_MONTH = re.compile(r"\d(?:st|nd|rd|th|\.)?\s+(?:of\s+)?" + _MONTH_PREFIX)  # dmy, dm ("18. Apr 2019")
_ISO_START = re.compile(YEAR + r"-[01]\d-")
_SPACED_YEAR = re.compile(r"[\s-]" + YEAR)  # y
_SPACED_MONTH_NAME = re.compile(r"[\s-](?:January|February|March|April|June|July|August|September|October|November|December)")
_WEEKDAY_NAME = re.compile(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day")
_RELDAY_WORDS = ("yesterday", "today", "in the day", "day before", "same day", "tonight", "ago")
_RELSPAN_WORDS = ("last week", "this week", "last month", "this month", "last year", "this year")


def _forms_worth_trying(text: str) -> list[tuple[str, re.Pattern]]:
    lowered = text.lower()
    year = _YEAR_DIGITS.search(text) is not None
    digit = year or _DIGIT.search(text) is not None
    month = digit and _HAS_MONTH.search(text) is not None
    month_digit = month and _MONTH_THEN_DIGIT.search(text) is not None
    digit_month = month and _DIGIT_THEN_MONTH.search(text) is not None
    dotted = ".19" in text or ".20" in text
    worth = {
        "iso": year and "-" in text and _ISO_START.search(text) is not None,
        "dotted": dotted,
        "dotted_named": dotted or "-19" in text or "-20" in text,
        "mdy": year and month_digit,
        "dmy": year and digit_month,
        "md": month_digit,
        "dm": digit_month,
        "my": year and month_digit,
        "m": _SPACED_MONTH_NAME.search(text) is not None,
        "y": year and _SPACED_YEAR.search(text) is not None,
        "weekday": "day" in lowered and _WEEKDAY_NAME.search(text) is not None,
        "relday": ("day" in lowered or "tonight" in lowered or "ago" in lowered) and may_contain(lowered, _RELDAY_WORDS, text),
        "relspan": ("week" in lowered or "month" in lowered or "year" in lowered)
                   and may_contain(lowered, _RELSPAN_WORDS, text),
    }
    return [(kind, pattern) for kind, pattern in _COMPILED if worth[kind]]


@dataclass(frozen=True)
class DateExpression:
    start: int
    end: int
    kind: str
    text: str
    value: PartialDate | None  # None when it cannot be resolved (no reference day)


def _month_number(token: str) -> int | None:
    token = token.lower().rstrip(".")
    if token.isdigit():
        value = int(token)
        return value if 1 <= value <= 12 else None
    return MONTHS.get(token)


def valid_date(year: int, month: int, day: int) -> date | None:
    """The day, or None when there is no such day (31 April, month 13)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _safe(year: int, month: int, day: int | None) -> PartialDate | None:
    return PartialDate(year, month, day) if valid_date(year, month, day or 1) else None


def _before_reference(year_less: tuple[int, int | None], ref: date | None, ref_year: int | None) -> PartialDate | None:
    month, day = year_less
    year = ref.year if ref else ref_year
    if year is None:
        return None
    value = _safe(year, month, day)
    if value is not None and ref is not None and value.first_day > ref:
        value = _safe(year - 1, month, day)
    return value


def _resolve(kind: str, groups: dict[str, str | None], ref: date | None, ref_year: int | None) -> PartialDate | None:
    if kind in ("iso", "dotted", "dotted_named", "mdy", "dmy"):
        month = _month_number(groups["month"] or "")
        return _safe(int(groups["year"]), month, int(groups["day"])) if month else None
    span = groups.get("span")
    if kind in ("md", "dm"):
        month = _month_number(groups["month"] or "")
        if month and span in _YEAR_SHIFT and (ref or ref_year):  # "on 4 April last year"
            return _safe((ref.year if ref else ref_year) + _YEAR_SHIFT[span], month, int(groups["day"]))
        return _before_reference((month, int(groups["day"])), ref, ref_year) if month else None
    if kind == "my":
        month = _month_number(groups["month"] or "")
        return PartialDate(int(groups["year"]), month) if month else None
    if kind == "m":
        month = _month_number(groups["month"] or "")
        if month and span in _YEAR_SHIFT and (ref or ref_year):  # "in April last year"
            return PartialDate((ref.year if ref else ref_year) + _YEAR_SHIFT[span], month)
        return _before_reference((month, None), ref, ref_year) if month else None
    if kind == "y":
        return PartialDate(int(groups["year"]))
    if ref is None:
        return None
    if kind == "weekday":
        if span in _WEEK_SHIFT:  # "on Thursday last week": that week's Thursday
            monday = ref - timedelta(days=ref.weekday() + _WEEK_SHIFT[span])
            return PartialDate.of(monday + timedelta(days=WEEKDAYS[groups["weekday"].lower()]))
        if groups.get("future"):  # "she will meet him on Monday": the coming Monday
            return PartialDate.of(ref + timedelta(days=(WEEKDAYS[groups["weekday"].lower()] - ref.weekday()) % 7 or 7))
        back = (ref.weekday() - WEEKDAYS[groups["weekday"].lower()]) % 7
        if back == 0 and (groups.get("prefix") or "").lower().startswith("last"):
            back = 7  # "last Friday" in a Friday's paper is a week ago
        return PartialDate.of(ref - timedelta(days=back))
    if kind == "relday":
        rel = groups["rel"].lower()
        if rel == "yesterday":
            return PartialDate.of(ref - timedelta(days=1))
        if rel in ("today", "earlier today", "earlier in the day", "tonight"):  # the day of the news
            return PartialDate.of(ref)
        if rel.endswith("ago"):  # "three days ago", "a week ago"
            count = rel.split()[0]
            days = 7 if count == "a" else int(count) if count.isdigit() else NUMBER_WORDS[count]
            return PartialDate.of(ref - timedelta(days=days))
        return None  # "the day before" needs the clause's own anchor
    span = span.lower()
    if span == "last week":
        monday = ref - timedelta(days=ref.weekday() + 7)
        return PartialDate.spanning(monday, monday + timedelta(days=6))
    if span in ("this week", "earlier this week"):
        return PartialDate.spanning(ref - timedelta(days=ref.weekday()), ref)
    if span == "last month":
        last = ref.replace(day=1) - timedelta(days=1)
        return PartialDate(last.year, last.month)
    if span in ("this month", "earlier this month"):
        return PartialDate(ref.year, ref.month)
    if span == "last year":
        return PartialDate(ref.year - 1)
    return PartialDate(ref.year)


# Where a form's matches may start, so that its regex is tried there only instead of at
# every position of the text (Python's re is slow to try "\b(?i:in|on|...)" everywhere).
# This depends on how the patterns above open; change one and change this with it:
#   mdy, md, my     open with a month name (_HAS_MONTH finds every one);
#   m, y, weekday   open with a whole word ("in", "mid-", "last"; optional for weekday),
#                   then spaces or a hyphen, then the anchor: a month name, a year, a
#                   weekday name. The anchor regexes give (start of the match, offset of
#                   the anchor in it).
_STARTS_WITH_MONTH = {"mdy", "md", "my"}
_ANCHORS = {"m": (_SPACED_MONTH_NAME, 1), "y": (_SPACED_YEAR, 1), "weekday": (_WEEKDAY_NAME, 0)}


def _candidate_starts(kind: str, text: str) -> list[int] | None:
    """Sorted positions where a match of this form may start; None when it may start anywhere."""
    if kind in _STARTS_WITH_MONTH:
        return [m.start() for m in _HAS_MONTH.finditer(text)]
    if kind not in _ANCHORS:
        return None
    anchor, offset = _ANCHORS[kind]
    starts = set()
    for match in anchor.finditer(text):
        at = match.start() + offset
        starts.add(at)
        starts.add(_word_before_gap(text, at))
    return sorted(starts)


def _word_before_gap(text: str, at: int) -> int:
    """The start of the word before the spaces and hyphens that end at `at` (at itself if
    there are none), with spaces and word characters as re sees them (str.isspace;
    alphanumeric or "_"); a number's closing period is part of it."""
    start = at
    while start > 0 and (text[start - 1].isspace() or text[start - 1] == "-"):
        start -= 1
    if start == at:
        return at
    if start > 1 and text[start - 1] == "." and text[start - 2].isdigit():
        start -= 1  # a day with its period: "18. Apr 2019"
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    return start


def _matches_at(pattern: re.Pattern, text: str, starts: list[int]):
    """What pattern.finditer(text) finds, for a pattern that can only match at one of
    these (sorted) positions; pattern.match(text, start) still sees the text before start."""
    end = 0
    for start in starts:
        if start >= end:
            match = pattern.match(text, start)
            if match:
                yield match
                end = match.end()


# A weekday in a clause about what is to come ("and she will meet the minister on Monday"),
# with no punctuation between: the coming day, not the past one.
_FUTURE_CLAUSE = re.compile(r"\b(?:will|shall|(?:is|are)\s+(?:due|scheduled|set|expected)\s+to)\s[^.;:,!?\"“”]*$", re.I)


# "in April last year", "on 4 April last year", "on Thursday last week": the span right after a
# month or a weekday says which year or week it is in (one expression, not two).
_YEAR_SHIFT = {"last year": -1, "this year": 0}
_WEEK_SHIFT = {"last week": 7, "this week": 0}
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}  # "three days ago"


def _qualified(found: list, text: str) -> list:
    merged = []
    for item in found:
        if merged and item[2] == "relspan":
            start, end, kind, _, groups = merged[-1]
            span = item[4]["span"].lower()
            shifts = _WEEK_SHIFT if kind == "weekday" else _YEAR_SHIFT if kind in ("m", "md", "dm") else {}
            if span in shifts and not text[end:item[0]].strip(" ,"):
                merged[-1] = (start, item[1], kind, text[start:item[1]], {**groups, "span": span})
                continue
        merged.append(item)
    return merged


def scan_dates(text: str) -> list[tuple[int, int, str, str, dict[str, str | None]]]:
    """Every date expression (start, end, kind, text, groups), unresolved. One pass per
    form, earlier forms first; a later form never overlaps an earlier one's match.
    (A single alternation of all forms measured slower with Python's re.)"""
    found, taken = [], []
    for kind, pattern in _forms_worth_trying(text):
        starts = _candidate_starts(kind, text)
        for match in (pattern.finditer(text) if starts is None else _matches_at(pattern, text, starts)):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            groups = match.groupdict()
            if kind == "weekday":
                groups["future"] = _FUTURE_CLAUSE.search(text, max(0, start - 100), start) is not None
            found.append((start, end, kind, match.group(0), groups))
    found.sort(key=lambda item: item[0])
    return _qualified(found, text)


def resolve_dates(scanned, reference: date | None = None, reference_year: int | None = None) -> list[DateExpression]:
    return [DateExpression(start, end, kind, text, _resolve(kind, groups, reference, reference_year))
            for start, end, kind, text, groups in scanned]


def find_dates(text: str, reference: date | None = None, reference_year: int | None = None) -> list[DateExpression]:
    """Date expressions in text, resolved, sorted by position.

    reference is the publication day; reference_year a weaker anchor (a year the article
    names) used only to complete "November 6" when no publication day is known."""
    return resolve_dates(scan_dates(text), reference, reference_year)


def full_date(text: str) -> date | None:
    """The first self-contained (day, month, year) date in a short string, if any."""
    for expr in find_dates(text):
        if expr.kind in ("iso", "dotted", "dotted_named", "mdy", "dmy") and expr.value is not None:
            return expr.value.first_day
    return None
