"""When a protest happened: the dates a sentence (or its paragraph) gives the incident,
and the article's fallbacks for mentions the text leaves undated."""

from __future__ import annotations

import re
from datetime import timedelta

from pipeline.dates.expressions import NUMBER_WORDS, DateExpression
from pipeline.dates.partial_date import PartialDate
from pipeline.extraction import cues
from pipeline.extraction.article import Article
from pipeline.extraction.model import Mention
from pipeline.extraction.sentences import Sentence
from pipeline.extraction.syntax import Parsed, dates_a_clause_below, dates_the_cause, dates_the_trigger, dates_the_verb

REPORTED_AGE_DAYS = 30  # an incident this much older than its article is background
# "the visit of November 3", "the statement dated July 15": the date of the thing protested.
_DATE_OF_A_THING = re.compile(
    r"(?:(?<!week )(?<!month )(?<!days )(?<!end )(?<!half )(?<!part )(?<!start )(?<!middle )(?<!beginning )\bof|\bdated|"
    + cues.CAUSE_NOUNS.pattern + r")\s+(?:\w+\s+){0,2}(?:on\s+)?(?:\d{1,2}\s*[-–]\s*)?$", re.I)
# "In a statement issued late on Monday, the ministry condemned", "In a communique dated Monday
# February 24, the presidency rejects": the protest's own vehicle.
_OWN_STATEMENT = re.compile(r"\b(?:in|with)\s+(?:a|an|its|their)\s+(?:\w+\s+)?(?:statement|communiqu[eé]|release)\b[^.;]{0,30}$", re.I)
# "told Trend Nov. 21": the date of the statement itself.
_DATE_OF_SPEECH = re.compile(cues.SPEECH_VERBS.pattern + r"\s+(?:[A-Z]\w+\s+){0,3}(?:on\s+)?$")
# "The committee of X on Friday sharply criticised": a date just before the verb is the verb's.
_UP_TO_THE_VERB = re.compile(r"[\s,]*(?:(?:\w+ly|also|again|has|have|had)\s+)*")
# "..., the spokesman told Reuters.": words given to the reporter, on the news day.
_TOLD_THE_PRESS = re.compile(r"\btold\s+(?:reporters|journalists|the\s+press|[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})[.!]?[\"”’]?$")
_OF_THAT_YEAR = re.compile(r"\s+of\s+(?:the\s+same|that)\s+year\b", re.I)
_SAME_TIME = re.compile(r"\b(?:the same|that)\s+(day|month|year)\b", re.I)
PRECISION_ORDER = ("day", "month", "year")
# "conveyed India's outrage at the killing ... on May 1": a feeling "at" something names its cause.
_FEELING_AT = re.compile(r"\b(?:outrage|indignation|regret|dismay|disappointment|displeasure|dissatisfaction|"
                         r"concerns?|anger|protests?)\s+at\b", re.I)
# "The move came a day after India summoned": the summons is dated back from the news it preceded.
_CAME_DAYS_AFTER = re.compile(r"\b(?:came|comes|follows|followed)\s+(a|one|two|three)\s+days?\s+after\s+[^.;,]{0,60}$", re.I)


def incident_date(article: Article, sentence: Sentence, start: int, end: int, parsed: Parsed, key,
                  nested: bool, background: bool) -> tuple[PartialDate | None, bool]:
    """The date of the incident whose trigger spans start..end, and whether it is the
    protest's own (else derived from the date of the thing protested, or None)."""
    own, cause = _event_date(article, sentence, start, end, parsed, key) if not nested else (None, None)
    if own is None and cause is None:
        own = _days_before_the_news(article, sentence, start)
    if own is None and cause is None and not _TOLD_THE_PRESS.search(sentence.text):
        own = _paragraph_date(article, sentence)
    if own is None and cause is None and _SAME_TIME.search(sentence.text):
        own = article.last_date  # "rejected the accusations the same day"
    if own is not None:
        article.last_date = own
        return own, True
    return (_after_the_cause(article, cause, background) if cause is not None else None), False


def _days_before_the_news(article: Article, sentence: Sentence, trigger_start: int) -> PartialDate | None:
    """"The move came a day after India summoned ...": the news day less the days named."""
    came = _CAME_DAYS_AFTER.search(article.text, sentence.start, trigger_start)
    if came is None or article.published is None:
        return None
    count = came.group(1).lower()
    days = 1 if count == "a" else NUMBER_WORDS[count]
    return PartialDate.of((article.lead_date or article.published) - timedelta(days=days))


def _past_dates(article: Article, sentence: Sentence) -> list[DateExpression]:
    """The sentence's resolved dates, none after the publication day."""
    return [d for d in article.dates_in(sentence) if d.value is not None
            and (article.published is None or d.value.first_day <= article.published)]


def _event_date(article: Article, sentence: Sentence, trigger_start: int, trigger_end: int,
                parsed: Parsed, key) -> tuple[PartialDate | None, PartialDate | None]:
    """(the protest's own date, a date of the thing protested) from this sentence."""
    text = article.text
    own, cause = [], []
    for expr in _past_dates(article, sentence):
        before_date = text[max(sentence.start, expr.start - 60):expr.start]
        attached_to_noun = _DATE_OF_A_THING.search(before_date) and not _OWN_STATEMENT.search(before_date) \
            and not dates_the_verb(parsed, key, expr.start) \
            and not (expr.end <= trigger_start and _UP_TO_THE_VERB.fullmatch(text, expr.end, trigger_start))
        possessive = text.startswith(("'s", "’s"), expr.end)
        named_day = expr.kind not in ("weekday", "relday")
        # a quoted date is the thing protested's, unless it opens the quote that tells of the protest
        quoted = article.in_quote(expr.start, unless_with=trigger_start if expr.start < trigger_start else None)
        if _DATE_OF_SPEECH.search(before_date) or (possessive and dates_the_trigger(parsed, key, expr.start)):
            own.append(expr)
        elif quoted or attached_to_noun or possessive or dates_the_cause(parsed, key, expr.start) or named_day and (
                dates_a_clause_below(parsed, key, expr.start) or cues.CAUSE_MARKERS.search(text[trigger_end:expr.start])
                or _FEELING_AT.search(text, trigger_start, expr.start)):
            # ... or "Wednesday's strikes" (a possessive date is a thing's, unless the thing is the
            # protest), or "the statement, which in August 2008 called" (a clause on the thing
            # protested; but "the resolution adopted on Thursday" was mostly condemned that day),
            # or "over the visit to the U.S. on October 29" (but a closing "on Monday" is the
            # journalist's date for the main verb).
            cause.append(expr)
            article.cause_dates.add(expr.start)
        else:
            own.append(expr)

    def pick(exprs: list[DateExpression]) -> PartialDate | None:
        if not exprs:
            return None
        expr = min(exprs, key=lambda e: abs(e.start - trigger_start))
        # "In December of the same year": the year is the one the text was talking about.
        if _OF_THAT_YEAR.match(text, expr.end) and article.last_date is not None:
            return PartialDate(article.last_date.year, expr.value.month, expr.value.day)
        return expr.value

    return pick(own), pick(cause)


def _paragraph_date(article: Article, sentence: Sentence) -> PartialDate | None:
    """A sentence without a date of its own, in a paragraph that has set one ("On 26
    August ... In Washington, Bush condemned ..."; "The same year, the ministry ..."):
    the nearest earlier date of the paragraph, at the precision "the same year" asks for."""
    for previous in article.earlier_in_paragraph(sentence):
        # (not "violated the airspace on April 19. The diplomat was summoned ...": that date was the violation's)
        dated = [d for d in _past_dates(article, previous) if d.start not in article.cause_dates]
        if dated:
            value = dated[-1].value
            same = _SAME_TIME.search(sentence.text)
            if same and same.group(1).lower() == "year":
                return PartialDate(value.year)
            if same and same.group(1).lower() == "month" and value.month:
                return PartialDate(value.year, value.month)
            return value
    return None


def _after_the_cause(article: Article, cause: PartialDate, background: bool) -> PartialDate:
    """A protest dated only by what it protests: the news day for the article's news (the
    lede's day if after the cause, else the publication day), else the span from the cause
    to the publication day."""
    if article.published is None:
        return PartialDate(cause.year, cause.month)
    if background:
        return PartialDate.spanning(cause.first_day, article.published)
    lead = article.lead_date
    return PartialDate.of(lead if lead is not None and lead > cause.last_day else article.published)


def is_old(article: Article, when: PartialDate | None) -> bool:
    return (article.published is not None and when is not None
            and (article.published - when.last_day).days > REPORTED_AGE_DAYS)


def _same_kind_dates(mentions: list[Mention], mention: Mention, reported_only: bool) -> list[PartialDate]:
    """The explicit dates of the pair's mentions of the same kind, told as news or as background."""
    return [m.date for m in mentions if m.date_explicit and m.date is not None and m.reported_only == reported_only
            and (m.actor, m.target) == (mention.actor, mention.target) and m.event_type == mention.event_type]


def settle_dates(article: Article, mentions: list[Mention], lead: set[tuple[str, str]]) -> None:
    """An undated mention takes the article's explicit date for the same pair (from a
    mention as much in the background as itself), else falls back on the news day (the
    lede's day, else the publication day) or, for background, on the year. So does the
    lead story's target protesting back: mostly what the lead protested, said before it."""
    explicit: dict[tuple[str, str, bool], list[PartialDate]] = {}
    derived: dict[tuple[str, str, bool], PartialDate] = {}  # from the date of the thing protested
    for m in mentions:
        if m.date_explicit and m.date is not None:
            explicit.setdefault((m.actor, m.target, m.reported_only), []).append(m.date)
        elif m.date is not None:
            derived.setdefault((m.actor, m.target, m.reported_only), m.date)
    for mention in mentions:
        same = explicit.get((mention.actor, mention.target, mention.reported_only), [])
        if not same and mention.reported_only and (mention.actor, mention.target) not in lead:
            # an aside on an earlier incident the text dates elsewhere, of the same kind: "summoned in
            # retaliation for summoning ..." / "Dhaka on Feb 2 summoned ..." (not the lead story's pair)
            same = _same_kind_dates(mentions, mention, reported_only=False)
        elif not same and not mention.date_explicit and article.published is not None and article.lead_date is None:
            # the news told undated, in a lede that dates nothing, beside an aside that dates it days before:
            # "Onyeama summoned the envoy" / "the government had earlier on Monday summoned South Africa"
            same = [d for d in _same_kind_dates(mentions, mention, reported_only=True)
                    if d.precision == "day" and 0 <= (article.published - d.first_day).days <= 3]
        best = min(same, key=lambda d: PRECISION_ORDER.index(d.precision)) if same else None
        if mention.date_explicit and mention.date is not None:
            if best and best.precision == "day" and best.compatible(mention.date):
                mention.date = best
            continue
        if best is not None:
            mention.date = best
        elif mention.date is not None:
            continue  # derived from the date of the thing protested
        elif (mention.actor, mention.target, mention.reported_only) in derived:
            mention.date = derived[(mention.actor, mention.target, mention.reported_only)]  # one incident, one date
        elif article.published is not None:
            news_day = article.lead_date or article.published
            aside = mention.reported_only or ((mention.target, mention.actor) in lead and (mention.actor, mention.target) not in lead)
            mention.date = PartialDate(article.published.year) if aside else PartialDate.of(news_day)
        elif article.anchor is not None:
            mention.date = PartialDate(article.anchor.year, article.anchor.month)  # month at best
        elif article.reference_year is not None:
            mention.date = PartialDate(article.reference_year)  # the year of the text's latest date
