"""Cleaning for plain-text inputs (copy-pasted pages), which trafilatura does not handle.

Works line by line: drops decoration and boilerplate (headline lists with their dates,
"Source:" lines, categories, sign-offs), takes the headline as the title, and finds the
publication date in the header lines only, never in the body or in trailing lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from pipeline.dates.expressions import MONTHS, STAMP_PREFIX, WEEKDAYS, YEAR, DateExpression, find_dates, full_date, valid_date
from pipeline.dates.foreign_months import foreign_stamp_date

HEADER_LINES = 6  # non-empty lines at the top where a publication date may stand
ABOVE_THE_STORY_LINES = 25  # ... and a line of only a date, up to this far, above the story's first paragraph

_DECORATION = re.compile(r"^[\s\-–—_=*#|•·]*$")
_MARKDOWN = re.compile(r"^#{1,6}\s*|\*\*|__")
_BOILERPLATE = re.compile(
    r"^\s*(?:kaynak/source|source|sources|categories|category|tags?|share|share this|print|photo|"
    r"photo credit|read (?:also|more)|related(?: news| articles)?|follow us.*|subscribe.*|"
    r"advertisement|©.*|copyright.*|all rights reserved.*)\s*:?\s*.{0,80}$",
    re.I,
)
_LIST_HEADING = re.compile(r"^\s*(?:latest news|latest|most read|more news|top stories|read also|related news|news feed)\b", re.I)
# A heading alone on its line over links to other stories ("Read more:", "Related Headlines"): the
# headlines and teasers below it belong to other articles, up to the next paragraph of the body.
_RELATED_HEADING = re.compile(
    r"^\s*(?:read (?:more|also)|also read|see also|related(?: headlines| articles| news| stories| posts| coverage)?|"
    r"you (?:may|might) also like|more in (?:this )?section|more stories|recommended(?: stories| for you)?)\s*:?\s*$",
    re.I,
)
_PROSE = re.compile(r"^\s*(?:\S+\s+){7,}\S*[.!?\"”’]\s*$")  # a sentence of the story (eight words or more)
_BODY_PARAGRAPH = re.compile(r"^(?!.*(?:\.\.|…)\s*$).{150,}[.!?\"”’]\s*$")  # a full paragraph, not a cut teaser "..."
_WEEKDAY = r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?"  # "Sat,", "Tues.", "Saturday," before a date
_DATE_ONLY = re.compile(rf"^\s*(?:{_WEEKDAY}\s+)?[\w.,:/ -]{{0,6}}\d[\w.,:/ -]*$", re.I)
_LABEL = r"(?:date|published|posted|updated)"  # the word before a page's date
_HEADER_DATE = re.compile(rf"^\s*{_LABEL}?\s*:?\s*(?P<rest>.*)$", re.I)
_BYLINE = re.compile(r"\s*\bBy\s+[A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){0,3}\s*$")
_SIGN_OFF = re.compile(r"^\s*[A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){0,3}\s*:\s*$")
_ENDS_HEADING = re.compile(r"\s*(?:\([^)]{0,40}\))?\s*$")
# All-numeric day-month-year with dashes or slashes ("28-01-2025 | 12:41", "Mon, 05/16/2011"),
# which the extractor's date forms leave out because in running text they are rarely dates.
_NUMERIC_DATE = re.compile(rf"(?<![\d/.-])(\d{{1,2}})[-/](\d{{1,2}})[-/]({YEAR})(?![\d/-])")
_YEAR_FIRST_DATE = re.compile(rf"(?<![\d/.-])({YEAR})([-/])(\d{{1,2}})\2(\d{{1,2}})(?![\d/-])")  # "2013-1-8"
# ... and with dots, only on a stamp line with its hour ("2021.08.15 16:59 GMT+8"): in a header line a
# syndicator's stamp ("Siasat Daily 2014.07.21 01:43") may stand above the story's own date.
_DOTTED_YEAR_FIRST = re.compile(rf"^({YEAR})\.(\d{{1,2}})\.(\d{{1,2}})\s")
# A stamp's year run into its hour ("8 November 201918:18"), or its month in lower case ("05 october 2017 18:23").
_GLUED_CLOCK = re.compile(r"\b((?:19|20)\d\d)(\d{1,2}:\d\d)\b")
_LOWER_MONTH = re.compile(r"\b(?:" + "|".join(m for m in MONTHS if len(m) > 3) + r")\b")
_WEEKDAY_NAMES = sorted(WEEKDAYS, key=WEEKDAYS.get)  # "monday", ... as date.weekday() counts
_WEEKDAY_BEFORE = re.compile(_WEEKDAY + r"\s*$", re.I)  # "Sat, 10/08/2019"
# A labelled date closing the text ("Published: 23/1/2023", Spanish "Publicado:", French "Publié le").
_FOOTER_DATE = re.compile(r"^\s*(?:published|posted|publicado|publicada|publié|publiée)(?:\s+(?:on|el|le))?\s*:?\s*(?P<rest>.{6,40})$", re.I)
_CLOCK = r"\d{1,2}:\d\d(?::\d\d)?\s*(?:[AP]M)?\s*(?:GMT[+-]?\d*|UTC[+-]?\d*|IST|ET|EST|EDT|PT|PST|PDT|CET|CEST|BST|MSK|JST|KST)?"
_LABELLED = re.compile(rf"\s*{_LABEL}\b", re.I)
_ENDS_CLOCK = re.compile(_CLOCK + r"$")
_STAMP_CHARS = re.compile(r"[\w.,:+/ -]*")  # only a stamp's characters: no brackets, quotes, semicolons
_TIMED = re.compile(r",?\s*(?:at\s+)?" + _CLOCK)
_SHORT_YEAR_STAMP = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d\d)\s+" + _CLOCK + r"\s*$")  # "22.05.20 12:55"
# A labelled stamp ending in a two-digit year: "Published Date - 10:08 AM, Mon - 8 January 24".
_SHORT_YEAR_NAMED = re.compile(rf"\b{_LABEL}\b.*?\b(\d{{1,2}})\s+([A-Z][a-z]{{2,8}})\.?,?\s+(\d\d)\s*$", re.I)
_PIPED = re.compile(r"\|\s*$")  # "Title | 28 Dec 2023 | Text"
# A stamp that gives only the month or the year (" date 2024-10 Vietnam ..."): no day, but the year.
_LABELLED_YEAR = re.compile(rf"^\s*date\s+({YEAR})(?:-[01]\d)?(?=\s|$)", re.I)
# A dateline in brackets opening the text: "UNITED NATIONS (Agency / Wire - 12th May, 2021) The ..."
_BRACKET_OPENS_DATELINE = re.compile(r"^[^()]{0,40}\([^()]*$")
# A story's dateline: a place in capitals or none, the date, a place or wire in brackets, a dash.
_PLACE_BEFORE_DATE = re.compile(r"(?:[A-Z][\w.'’/ -]{1,40},\s*)?")
_DASH_AFTER_DATE = re.compile(r"\s*(?:\([^()]{1,60}\)\s*)?[-–—]+\s*[A-Z]")
# An aggregator's credit line above the headline: "Ghanaian Times (Accra)", "News24Wire (Cape Town)".
_SOURCE_CREDIT = re.compile(r"^[A-Z][\w.&'’ -]{1,40} \([A-Z][A-Za-z .'’-]{1,30}\)$")
_BREADCRUMB = re.compile(r"^\s*home\s*(?:[/»>›|]\s*[^/»>›|]{1,40}?\s*)*[/»>›|]\s*", re.I)  # "Home / Mid-East / Syria / "
_STAMP_WORDS = re.compile(r"\b(?:last|updated?|published|posted|created|on|at|[ap]\.?m\.?|gmt|utc|ist|hrs)\b|"
                          r"\d{1,2}[:.]\d\d(?::\d\d)?", re.I)
_YEAR = re.compile(rf"\b{YEAR}\b")
_HOUR = re.compile(r"\b\d{1,2}:\d\d\b")
_WORD = re.compile(r"[^\W\d_]{2,}")
# "7 days ago", "Updated 3 hours ago": the page's age when it was read, not a date of the story.
_AGE_STAMP = re.compile(r"^\s*(?:(?:updated|posted|published)\s*:?\s*)?(?:\d+|an?|one)\s+"
                        r"(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago\s*$", re.I)
# Page furniture above a headline: a byline ("By Puy Kea"), a photo's caption or credit ("(Photo:
# VNA)", "Photo:VCG", "Park Ji-ho/AP"), a reading time ("2 MIN READ"), the weather ("27°C"), a
# line of punctuation; none of them is the story's title.
_FURNITURE = re.compile(r"^\s*by\s+[A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){0,3}\s*$|\(\s*(?:photo|file photo|image|picture)\b[^)]*\)\s*$|"
                        r"\bphoto\s*:\s*\S+\s*$|/\s*(?:AP|AFP|Reuters|EPA|Getty Images|Xinhua|Yonhap)\s*$|"
                        r"^\s*\d+\s+min(?:ute)?s?\s+read\s*$|\d\s*°\s*[CF]\b|^[\W_]*$", re.I)
_YEAR_CATEGORY = re.compile(rf"^\s*categor(?:y|ies)\s*:\s*({YEAR})\s*$", re.I)


@dataclass(frozen=True)
class PlainTextResult:
    title: str | None
    published: date | None
    text: str
    year_hint: int | None


def _is_date_line(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and len(stripped) <= 32 and _DATE_ONLY.match(stripped) is not None and full_date(stripped) is not None


@lru_cache(maxsize=256)
def _dates(line: str) -> tuple[DateExpression, ...]:
    """find_dates of a header line, once: the header is read several times per page (a timed
    date, a dateline, again with the boilerplate lines put back, the headline's stamp)."""
    return tuple(find_dates(line))


def _cut_related_links(lines: list[str]) -> list[str]:
    """Drop each related-links heading and the lines under it, up to the next body paragraph."""
    kept, skipping = [], False
    for line in lines:
        if _RELATED_HEADING.match(line):
            skipping = True
        elif skipping and _BODY_PARAGRAPH.match(line.strip()):
            skipping = False
        if not skipping:
            kept.append(line)
    return kept


def _cut_trailing_lists(lines: list[str]) -> list[str]:
    """Drop a trailing 'Latest news' block: a heading followed by headlines and date lines."""
    for index, line in enumerate(lines):
        if _LIST_HEADING.match(line) and len(line.strip()) < 200:
            tail = [ln for ln in lines[index + 1:] if ln.strip()]
            dates = sum(_is_date_line(ln) for ln in tail)
            if not tail or dates * 3 >= len(tail):
                return lines[:index]
    # A trailing run of date-only lines (e.g. a stray "25 Oct 2025") is page furniture.
    while lines and (not lines[-1].strip() or _is_date_line(lines[-1])):
        lines = lines[:-1]
    return lines


def _numeric_date(text: str) -> date | None:
    """A numeric date whose order is certain: the year first ("2013-1-8"), one of the first
    two numbers over 12, or a weekday that only one order falls on ("Sat, 10/08/2019"). An
    ambiguous 05/06/2011 is no date rather than a guess."""
    for match in _YEAR_FIRST_DATE.finditer(text):
        found = valid_date(int(match.group(1)), int(match.group(3)), int(match.group(4)))
        if found is not None:
            return found
    for match in _NUMERIC_DATE.finditer(text):
        first, second, year = (int(g) for g in match.groups())
        if first > 12 >= second:
            found = valid_date(year, second, first)
        elif second > 12 >= first:
            found = valid_date(year, first, second)
        else:
            weekday = _WEEKDAY_BEFORE.search(text, 0, match.start())
            if weekday is None:
                continue
            named = weekday.group(1).lower()
            fits = [d for d in (valid_date(year, second, first), valid_date(year, first, second))
                    if d is not None and _WEEKDAY_NAMES[d.weekday()].startswith(named)]
            found = fits[0] if len(fits) == 1 else None
        if found is not None:
            return found
    return None


def _timed_date_line(lines: list[str]) -> date | None:
    """A line that is only a full date and a clock time ("9th January 2013, 18:00 GMT+11"),
    anywhere: a page's stamp (a body's dates come without the hour)."""
    for line in lines:
        stripped = line.strip()
        if len(stripped) <= 40 and _ENDS_CLOCK.search(stripped) and _STAMP_CHARS.fullmatch(stripped):
            mended = _LOWER_MONTH.sub(lambda m: m.group().capitalize(), _GLUED_CLOCK.sub(r"\1 \2", stripped))
            dotted = _DOTTED_YEAR_FIRST.match(_LABELLED.sub("", mended).strip() + " ")
            found = full_date(mended) or _numeric_date(mended) or (valid_date(*map(int, dotted.groups())) if dotted else None)
            if found is not None:
                return found
    return None


def _footer_date(lines: list[str]) -> date | None:
    """A labelled publication date on one of the last lines ("Published: 23/1/2023")."""
    for line in [ln for ln in lines if ln.strip()][-3:]:
        labelled = _FOOTER_DATE.match(line)
        if labelled:
            rest = labelled.group("rest")
            return full_date(rest) or _numeric_date(rest)
    return None


def _header_date(lines: list[str]) -> tuple[date | None, int | None]:
    """Publication date from the header; returns (date, index of a line that is only a date)."""
    candidates = [(i, ln) for i, ln in enumerate(lines) if ln.strip()][:HEADER_LINES]
    # A byline's date with its hour ("The Press, 24 Feb, 2022 10:46 AM") beats a bare one (a
    # site's banner shows the day the page was read: "Friday, November 15, 2024"); a labelled
    # date (" date 2025-10-02") beats both.
    labelled = any(_LABELLED.match(line) for _, line in candidates)
    for _, line in candidates if not labelled else ():
        for expr in _dates(line[:200]):
            if expr.kind in ("iso", "mdy", "dmy") and expr.value and _TIMED.match(line, expr.end):
                return expr.value.first_day, None
    # A line that is only a date (or "date 2019-11-08 By Name") is the strongest signal; of
    # several, the earliest (a banner shows the day the page was read, a later one an update).
    only_dates = []
    for index, line in candidates + _above_the_story(lines, candidates):
        rest = _BYLINE.sub("", _HEADER_DATE.match(line).group("rest"))
        found = full_date(rest) if _is_date_line(rest) else foreign_stamp_date(rest)  # "fredag 5. mai 2023"
        if found is not None:
            only_dates.append((found, index))
    earliest, index = min(only_dates) if only_dates else (_dateline_date(candidates), None)
    # ... but the story's own dateline ("December 19, 2014 (JUBA) - South Sudan ...") beats a
    # later banner ("Friday, November 22, 2024": the day the page was read)
    story = next(filter(None, map(_story_dateline, (line for _, line in candidates))), None)
    return (story, index) if story is not None and earliest is not None and story < earliest else (earliest, index)


def _story_dateline(line: str) -> date | None:
    """The date a story's first line opens with, with or without its place, before a dash and
    the story: "December 19, 2014 (JUBA/KHARTOUM) - South ...", "BAKU, Nov 6, 2019 - Azerbaijan ..."."""
    stripped = line.strip()
    for expr in _dates(stripped[:160]):  # the key _dateline_date reads the line with: one parse of it
        if expr.kind in ("mdy", "dmy", "iso") and expr.value and _PLACE_BEFORE_DATE.fullmatch(stripped[:expr.start]) \
                and _DASH_AFTER_DATE.match(stripped, expr.end):
            return expr.value.first_day
    return None


def _dateline_date(candidates: list[tuple[int, str]]) -> date | None:
    """A dateline such as "Trend (21 November 2017)" or "BAKU, 6 November 2019 -", or a
    heading that ends with its date ("Briefing by the spokeswoman, Moscow, June 26, 2024")."""
    for _, line in candidates:
        stripped = line.strip()
        for expr in _dates(stripped[:160]):
            if expr.kind not in ("iso", "dotted", "dotted_named", "mdy", "dmy") or not expr.value:
                continue
            if expr.start < 40 or _ENDS_HEADING.match(stripped, expr.end) or (
                    _PIPED.search(stripped, 0, expr.start) and stripped[expr.end:].lstrip().startswith("|")) or (
                    stripped.startswith(")", expr.end) and _BRACKET_OPENS_DATELINE.match(stripped[:expr.start])):
                return expr.value.first_day
        short = _SHORT_YEAR_STAMP.match(stripped)
        if short is not None and (found := valid_date(2000 + int(short.group(3)), int(short.group(2)), int(short.group(1)))):
            return found
        named = _SHORT_YEAR_NAMED.search(stripped[:160])
        month = MONTHS.get(named.group(2).lower()) if named else None
        if month and (found := valid_date(2000 + int(named.group(3)), month, int(named.group(1)))):
            return found
        numeric = _numeric_date(stripped[:160])
        if numeric is not None:
            return numeric
    return None


def _above_the_story(lines: list[str], header: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Non-empty lines after the header and before the story's first paragraph (menus, share
    buttons, a photo credit): the page's own date line may stand that low ("Sat, January 7, 2017"
    under a menu of twelve lines), but never past the story's start."""
    after = header[-1][0] + 1 if header else 0
    found = []
    for index in range(after, min(len(lines), after + ABOVE_THE_STORY_LINES)):
        if _BODY_PARAGRAPH.match(lines[index]) or _PROSE.match(lines[index]):
            break
        if lines[index].strip():
            found.append((index, lines[index]))
    return found


def _is_stamp(line: str) -> bool:
    """A line that only dates the page: "Monday, November 23, 2020 18:18", "Last updated on
    July 17th, 2023 at 07:01 pm", "14:12 28 November Kyiv, Ukraine". It names a year or an hour,
    and under three words are left once its dates, hours and stamp words are taken out."""
    dates = [d for d in _dates(line) if d.kind != "weekday" or d.value is None]
    if not dates or not (_YEAR.search(line) or _HOUR.search(line)):
        return False
    rest = line
    for found in reversed(dates):
        rest = rest[:found.start] + " " + rest[found.end:]
    return len(_WORD.findall(_STAMP_WORDS.sub(" ", rest))) < 3


# Hard-wrapped wire copy ("... The statement by\nthe French MFA on the Order ..."): a line
# broken mid-sentence carries on in a lowercase word, or after a word no sentence ends on.
_CLOSED = re.compile(r"[.!?:;)\]…][\"”’']*\s*$")  # a sentence (or a quoted one) ends here
_GOES_ON = re.compile(r"^[a-z(]")
_ENDS_ON_WORD = re.compile(r"(?:\b(?:the|a|an|of|by|to|in|on|at|for|from|with|and|or|that|its|their|his|her)|,)\s*$", re.I)
HARD_WRAPS = 3  # lowercase carry-overs that show a text was wrapped by width, not by paragraph


def _goes_on_in_lowercase(line: str, following: str) -> bool:
    """A line with no closing mark whose next line opens in lowercase: one sentence, cut."""
    return bool(line and following and not _CLOSED.search(line) and _GOES_ON.match(following))


def _unwrap_hard_breaks(lines: list[str]) -> list[str]:
    """Join the lines of a text hard-wrapped at a fixed width back into its paragraphs, so
    that sentences are not cut at each line's end. Texts wrapped by paragraph pass unchanged."""
    if sum(_goes_on_in_lowercase(a, b) for a, b in zip(lines, lines[1:])) < HARD_WRAPS:
        return lines
    lengths = sorted(len(line) for line in lines if line)
    width = lengths[len(lengths) * 3 // 4]
    # A line near the wrap width was cut by it; a longer one (a headline with its stamp) was not.
    def cut_by_width(line: str) -> bool:
        return 0.7 * width <= len(line) <= 1.15 * width

    def carries_on(line: str, following: str) -> bool:
        return _goes_on_in_lowercase(line, following) or bool(
            line and following and not _CLOSED.search(line) and (_ENDS_ON_WORD.search(line) or cut_by_width(line)))
    joined: list[str] = []
    for previous, line in zip(["", *lines], lines):
        if joined and carries_on(previous, line):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


def _looks_like_title(line: str) -> bool:
    stripped = line.strip()
    return 3 <= len(stripped.split()) <= 30 and not stripped.endswith((".", ":", ";", ",")) \
        and not _is_date_line(stripped) and not _is_stamp(stripped)


def clean_plain_text(raw: str) -> PlainTextResult:
    lines = [_MARKDOWN.sub("", ln).rstrip() for ln in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    year_hint = None
    kept: list[str] = []
    for index, line in enumerate(_cut_related_links(lines)):
        category = _YEAR_CATEGORY.match(line) or (index < HEADER_LINES and _LABELLED_YEAR.match(line))
        if category:
            year_hint = int(category.group(1))
        if _DECORATION.match(line) and line.strip():
            continue
        if _BOILERPLATE.match(line) and len(line.strip()) < 100 or index < HEADER_LINES and _AGE_STAMP.match(line):
            continue
        kept.append(line)
    kept = _cut_trailing_lists(kept)
    while kept and _SIGN_OFF.match(kept[-1] or " "):
        kept.pop()
    published, date_line = _header_date(kept)
    if date_line is not None:
        kept[date_line] = ""
    # A header line dropped as boilerplate may still carry the date ("Source: Xinhua | 2019-02-04").
    published = published or _header_date([ln for ln in lines if not _DECORATION.match(ln)])[0] \
        or _footer_date(kept) or _timed_date_line(kept)
    body = _unwrap_hard_breaks([ln.strip() for ln in kept])
    title = None
    first = next((i for i, ln in enumerate(body) if ln), None)
    if first is not None and _is_stamp(body[first]):  # a stamp before the headline: the headline is next
        body[first] = ""  # like a line of only a date, it dated the page, not the story
        first = next((i for i, ln in enumerate(body) if ln and i > first), None)
    while first is not None and _FURNITURE.search(body[first]):  # a byline, a photo's credit, the weather
        first = next((i for i, ln in enumerate(body) if ln and i > first), None)
    if first is not None and _SOURCE_CREDIT.match(body[first]):
        following = next((i for i, ln in enumerate(body) if ln and i > first), None)
        if following is not None and _looks_like_title(body[following]):
            body[first], first = "", following  # who wrote it, not what happened
    # The stamp and a breadcrumb trail are not part of the headline (the stamp stays in a lede:
    # it tells the lede's day).
    candidate = _BREADCRUMB.sub("", STAMP_PREFIX.sub("", body[first])) if first is not None else ""
    if _looks_like_title(candidate):
        following = next((ln for ln in body[first + 1:] if ln), "")
        if following:  # a lone line is the article, not a headline
            title = candidate
            body[first] = ""
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(body)).strip()
    if published is not None:
        year_hint = published.year
    return PlainTextResult(title=title, published=published, text=text, year_hint=year_hint)
