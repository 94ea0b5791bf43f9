"""The rule-based protest extractor: clean article text -> Mentions.

For each sentence: find trigger phrases (cues.py), drop negated, hypothetical, judicial
and street-protest uses, then resolve who protested to whom (roles/) and when (dating.py). Then,
per article: mentions of the same (actor, target) share the best date the article gives
for them, undated ones fall back to the article's dates, and incidents other than the
article's lead story are marked reported_only.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from pipeline.extraction import cues
from pipeline.extraction.article import Article, build_article
from pipeline.extraction.dating import incident_date, is_old, settle_dates
from pipeline.guards import may_contain
from pipeline.extraction.model import EVENT_TYPES, Extraction, Mention, NearMiss
from pipeline.extraction.parser import parse
from pipeline.extraction.roles import resolve_roles, subject_state, the_cause
from pipeline.extraction.sentences import Sentence, split_sentences
from pipeline.extraction.syntax import Parsed, in_clause_of, inside_the_cause_of, is_background, is_unreal

WEAK_RULES = ("statement_concern", "statement_urge")
BASE_CONFIDENCE = {"agent": 0.9, "passive": 0.9, "noun": 0.85, "stimulus": 0.75, "meeting": 0.6}
# Quoted or first-person words: a state's own voice even when the sentence names no state.
_SPOKEN = re.compile(r"[“\"]|\b(?:we|We|our|Our)\b|^(?:He|She|It|They)\b")
_A_NOTE = re.compile(r"diplomatic|notes?\b")  # a note's trigger, not "noted with regret"
_CAUSE_END = re.compile(r"(?<=\w)[,;:.](?:\s|$)|\s[—–]\s|,\s+(?:which|who|according|he|she|it)\b")


def _judicial(text: str, sentence: Sentence, start: int, end: int) -> bool:
    """"The court summoned ...", "summoned for questioning": a summons that is not diplomacy.
    Only the trigger's own clause counts (a police raid elsewhere in the sentence does not, nor
    "told a parliamentary committee that her office had summoned ...")."""
    clause_start = max(sentence.start, text.rfind(",", sentence.start, start) + 1, text.rfind(" that ", sentence.start, start) + 1)
    return bool(cues.JUDICIAL.search(text, clause_start, min(sentence.end, end + 60)))


def _find_triggers(sentence: Sentence, names: set[str], lowered: str):
    """(start, end, rule, event type, voice) of each trigger match, in text order; of two
    that overlap, the earlier in cues.TRIGGERS wins. lowered: the sentence's text, lowercased."""
    found, taken = [], []
    for name, (event_type, voice, pattern) in cues.TRIGGERS.items():
        also_needs = cues.TRIGGER_ALSO_NEEDS.get(name)
        if name not in names or (also_needs and not may_contain(lowered, also_needs, sentence.text)):
            continue
        for match in pattern.finditer(sentence.text):
            start, end = sentence.start + match.start(), sentence.start + match.end()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            found.append((start, end, name, event_type, voice))
    found.sort()
    return found


def _lowered(text: str) -> str:
    """Lowercase with the same length (a few characters lowercase to two code points)."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


def _candidate_sentences(text: str, sentences: list[Sentence]) -> list[tuple[Sentence, set[str]]]:
    """Sentences that contain a trigger stem, with the triggers worth trying on each."""
    starts = [s.start for s in sentences]
    names_by_sentence: dict[int, set[str]] = {}
    for position, names in cues.trigger_candidates(_lowered(text)):
        index = bisect.bisect_right(starts, position) - 1
        if index >= 0 and position < sentences[index].end:
            names_by_sentence.setdefault(index, set()).update(names)
    return [(sentences[i], names) for i, names in sorted(names_by_sentence.items())]


def _cause_phrase(text: str, trigger_end: int, sentence: Sentence) -> str | None:
    rest = text[trigger_end:sentence.end]
    match = cues.CAUSE_MARKERS.search(rest)
    if not match or match.start() > 160:
        return None
    words = _CAUSE_END.split(rest[match.start():])[0].split()
    return " ".join(words[:18]).strip(" ,.;:") or None


# Words between a guard word and a trigger that may open another clause ("expressed
# condolences ... and denounced"): only then is the parse asked whose clause the guard is in.
_CLAUSE_BREAK = re.compile(r"[;,]|\b(?:and|but|while|whereas|who|which|after|as)\b", re.I)


def _guarded(text: str, start: int, end: int, matches) -> tuple | None:
    """None when a guard word shares the trigger's clause (no break between them), else the
    spans of the guard words the parse must still place (roles run only on the others)."""
    spans = []
    for match in matches:
        lo, hi = (match.end(), start) if match.end() <= start else (end, match.start())
        if hi <= lo or not _CLAUSE_BREAK.search(text, lo, hi):
            return None
        spans.append((match.start(), match.end()))
    return tuple(spans)


def _live_triggers(article: Article, sentence: Sentence, trigger_names: set[str]) -> list[tuple]:
    """The sentence's triggers that words alone do not rule out (credentials, denials,
    habits, street protests, court summonses, a quoted note, a note about visas). A guard
    word in another clause of the sentence is left to the parse (_sentence_mentions)."""
    text = article.text
    lowered = sentence.text.lower()
    not_a_protest = list(cues.NOT_A_PROTEST.finditer(text, sentence.start, sentence.end)) \
        if may_contain(lowered, cues.NOT_A_PROTEST_WORDS, sentence.text) else []
    # A statement whose sentence names no state gets both roles from context alone, and on
    # general news that is mostly wrong: such sentences are not worth a parse.
    named = article.entities_in(sentence.start, sentence.end) or _SPOKEN.search(sentence.text) \
        or (article.learn_people() and article.entities_in(sentence.start, sentence.end))
    may_deny = may_contain(lowered, cues.DENIAL_WORDS, sentence.text)
    may_be_habitual = may_contain(lowered, cues.HABITUAL_WORDS, sentence.text)
    live = []
    for start, end, rule, event_type, voice in _find_triggers(sentence, trigger_names, lowered):
        if event_type == "protest_statement" and not named:
            continue
        if rule == "statement_urge" and not any(word in lowered for word in cues.JOINT_TEXT_WORDS):
            continue  # worth a parse only beside a statement, whose signatories roles/ then asks for
        trigger_text = text[start:end].lower()
        guards = list(not_a_protest)
        if may_deny:
            guards += cues.DENIAL.finditer(text, sentence.start, start)
        if may_be_habitual:
            guards += cues.HABITUAL.finditer(text, max(sentence.start, start - 60), min(sentence.end, end + 40))
        if "protest" in trigger_text:
            guards += cues.STREET_PROTEST.finditer(text, sentence.start, sentence.end)
        guards = _guarded(text, start, end, guards)
        if guards is None:
            article.dropped.append((sentence, rule, "guard_word"))
            continue
        if (rule == "note_lodged" or _A_NOTE.match(trigger_text)) and "protest" not in trigger_text \
                and not cues.PROTEST_CUE.search(sentence.text) and not cues.NOTE_GRIEVANCE.match(text, end, sentence.end):
            article.dropped.append((sentence, rule, "no_grievance"))
            continue  # a note about visas (a note verbale on a visit) is not a protest note
        if event_type == "summon" and (_judicial(text, sentence, start, end) or (
                cues.INVITATION.search(trigger_text) and not cues.MINISTRY.search(sentence.text))
                or cues.CONSULTATIONS.search(text[end:sentence.end])):
            article.dropped.append((sentence, rule, "not_diplomatic"))
            continue
        if "complaint" in trigger_text:
            if cues.TRIBUNAL.search(sentence.text) or cues.JUDICIAL.search(sentence.text):
                article.dropped.append((sentence, rule, "complaint_to_body"))
                continue  # a complaint to a court or a trade body
            if cues.UN_BODY.search(sentence.text):
                event_type = "protest_statement"  # a complaint to the Security Council is a statement against a state
        if rule == "note_noun" and cues.QUOTING_NOTE.match(text, end):
            continue  # "..., the protest note reads": a quotation of a note already counted
        if rule == "note_noun" and trigger_text.endswith("s") and cues.TALLY_BEFORE.search(text, max(sentence.start, start - 30), start):
            continue  # "20 diplomatic protests were filed since January": a tally of many
        live.append((start, end, rule, event_type, voice, guards))
    return live


def _sentence_mentions(article: Article, sentence: Sentence, parsed: Parsed, triggers: list[tuple]) -> list[Mention]:
    text = article.text
    mentions: list[Mention] = []
    keys = [parsed.key_token(start, end) for start, end, *_ in triggers]
    for (start, end, rule, event_type, voice, guards), key in zip(triggers, keys):
        unused = _unused_trigger(parsed, key, guards)
        roles = None if unused else resolve_roles(article, parsed, sentence, key, rule, event_type, voice)
        if unused or roles is None or roles.actor == roles.target:
            article.dropped.append((sentence, rule, unused or ("no_roles" if roles is None else "same_state")))
            continue
        # What another protest of the sentence is about happened before it, on a day of its own.
        nested = inside_the_cause_of(key, [k for k in keys if k is not None and k != key])
        actors, targets = (roles.actor, *roles.also_actors), (roles.target, *roles.also_targets)
        for group in (targets, actors):
            if len(group) > 1:  # a list of states, for "those countries" in what follows
                article.last_group = (group, sentence.start)
                break
        background = nested or bool(cues.BACKGROUND.search(text[sentence.start:start])) or is_background(key)
        when, explicit = incident_date(article, sentence, start, end, parsed, key, nested, background)
        if article.lead_target is None:
            article.lead_target = roles.target
        cause_phrase = _cause_phrase(text, end, sentence)
        types = (event_type,)
        if event_type == "summon" and cues.PROTEST_AT_SUMMONS.match(text, end, sentence.end):
            types = ("summon", "protest_note")  # "summoned X to protest ...": a protest lodged at a summons (guideline)
        # Every (actor, target) the trigger speaks for: "Germany and France summoned the
        # ambassadors of Russia and Belarus" is four incidents.
        for actor, target in ((a, t) for a in actors for t in targets if a != t):
            mentions.append(Mention(
                actor=actor, target=target, types=types, date=when, date_explicit=explicit,
                reported_only=background, diplomat=roles.diplomat if target == roles.target else None,
                cause=cause_phrase, sentence=sentence.text,
                char_start=sentence.start, char_end=sentence.end, rule=f"{rule}/{roles.how}",
                confidence=round(BASE_CONFIDENCE[voice] * roles.certainty, 3),
            ))
        if roles.how not in ("context", "guess"):
            article.last_actor = roles.actor
    # A target guessed from context yields to one the same actor's words name in this sentence
    # (or is that one: "summoned the X envoy and handed a note", one incident of two types).
    named = {(m.actor, m.target) for m in mentions if "counterpart" not in m.rule}
    mentions = [m for m in mentions if "counterpart" not in m.rule or (m.actor, m.target) in named
                or m.actor not in {actor for actor, _ in named}]
    return _merge_same_sentence(mentions)


def _unused_trigger(parsed: Parsed, key, guards: tuple) -> str | None:
    """Why the parse rules the trigger out (a NearMiss reason), or None."""
    if key is None:
        return "no_anchor"
    if is_unreal(key):
        return "unreal"
    if any(in_clause_of(parsed.key_token(*span), key) for span in guards):
        return "guard_word"
    return None


def _near_misses(article: Article, mentions: list[Mention]) -> list[NearMiss]:
    """One per sentence whose triggers all came to nothing, if it names a state."""
    found, seen = [], {m.char_start for m in mentions}
    for sentence, rule, reason in sorted(article.dropped, key=lambda dropped: dropped[0].start):  # stable: first reason kept
        if sentence.start in seen:
            continue
        seen.add(sentence.start)
        states = tuple(sorted({e.code for e in article.entities_in(sentence.start, sentence.end)}))
        if states:
            found.append(NearMiss(sentence.text, sentence.start, sentence.end, rule, reason, states))
    return found


def _merge_same_sentence(mentions: list[Mention]) -> list[Mention]:
    """Two triggers of one sentence about one pair are one mention with both types."""
    merged: dict[tuple[str, str], Mention] = {}
    for mention in mentions:
        key = (mention.actor, mention.target)
        if key not in merged:
            merged[key] = mention
            continue
        kept = merged[key]
        kept.types = tuple(t for t in EVENT_TYPES if t in set(kept.types) | set(mention.types))
        kept.date = kept.date or mention.date
        kept.date_explicit = kept.date_explicit or mention.date_explicit
        kept.diplomat = kept.diplomat or mention.diplomat
        kept.cause = kept.cause or mention.cause
        kept.confidence = max(kept.confidence, mention.confidence)
    return list(merged.values())


def _mark_reported(article: Article, mentions: list[Mention], lead: set[tuple[str, str]]) -> None:
    """Pairs other than the lead story's are background, unless the text dates them to the
    news day ("Chile also condemned the raid on Saturday"): news of the day too (but not the
    lead's target protesting back: mostly what the lead protests)."""
    news_days = {article.published, article.lead_date} - {None}
    for mention in mentions:
        same_day = mention.date_explicit and mention.date is not None and mention.date.precision == "day" \
            and mention.date.first_day in news_days and not mention.reported_only and (mention.target, mention.actor) not in lead
        if ((mention.actor, mention.target) not in lead and not same_day) or is_old(article, mention.date):
            mention.reported_only = True


# "CAIRO -", "MEXICO CITY, March 22 (Xinhua) --", "TEHRAN (Agency) -": a dateline is not
# part of the sentence's grammar (the parser would make its place the subject).
# "Dhaka/New Delhi, Feb 6 (UNI) Bangladesh ...": places, a day and an agency, with no dash.
_DATELINE = re.compile(r"^(?:date \S+\s+)?(?:(?:[A-Z][A-Z.' /]{2,30}|[A-Z][a-z]+(?:[ /][A-Z][a-z]+){0,3}(?=\s*(?:\(|:|--|—|,\s*\w{3,9}\.?\s+\d|"
                       r",\s*[A-Z][A-Za-z]{1,12}\s*(?:--|[—–]))))"  # "Brussels, MINA –": a place and its agency
                       r"(?:,\s*\w{3,9}\.?\s+\d{1,2}(?:,?\s+\d{4})?|,\s*[A-Z][A-Za-z]{1,12}(?=\s*(?:--|[—–])))?\s*(?:\([A-Z][\w ]{1,20}\)\s*(?:--|[—–:-])?|(?:\((?:[^()]|\([^()]*\))*\))?\s*(?:--|[—–:-]))\s*)?")
# Other wires' datelines, whatever their order: a lead of a few words that carries a place in
# capitals, a date or a bracketed agency, closed by a dash or a bracket before the story's
# first word ("April 14, 2006 (KHARTOUM) —", "MOSCOW (UrduPoint News / Sputnik - 18th August, 2022)").
_WIRE_DATELINE = re.compile(r"^(?:date \S+\s+)?(?=[^!?“\"]{0,100}?(?:\b[A-Z]{3,}\b|\b(?:19|20)\d\d\b|\())"
                            # its words are capitalised or numbers (bracketed wire credits aside): no prose
                            r"(?:\((?:[^()]|\([^()]*\))*+\)\s*+|[A-Z0-9][\w.'’/|-]*+,?\s*+|[/|,]\s*+){0,14}?"
                            # a dash; an agency's bracket ("(AP)", "(Sputnik - 18th August, 2022)"); a date's colon
                            r"(?:--|[—–]|(?<=\s)-|\((?:[A-Z]{2,8}|(?=[^()]*[\d/|])(?:[^()]|\([^()]*\))*+)\)\s*(?:--|[—–:-])?|(?<=\d):)"
                            r"\s*(?=[A-Z“\"(])")

_ENDS_PROSE = re.compile(r"[.!?:;,][\"'”’)\]]*$")
_OUTLET = re.compile(r"(?:\s+[|–—-]\s+(?:[\w.&'’]+\s?){1,4})?$")  # "... - The Star", "... | Daily News"


@dataclass
class _Pending:
    """An article (or a title) whose live sentences wait for the parser: the parser is
    called once for a whole batch of articles, since a call costs more than a sentence."""
    article: Article
    live: list[tuple[Sentence, list[tuple]]]
    parsed: list[Parsed] = field(default_factory=list)
    title: _Pending | None = None


def _pending(text: str, published, title: str | None, year_hint: int | None, home: bool = True,
             people: dict | None = None) -> _Pending | None:
    sentences = split_sentences(text)
    candidates = _candidate_sentences(text, sentences)
    if not candidates:
        return None  # no trigger word anywhere: most news is not about protests
    article = build_article(text, published, title, year_hint, sentences)
    if not home:
        article.home = None  # a title speaks for no one but its own words
        article.learn_people(people or {})
    live = [(sentence, triggers) for sentence, names in candidates
            if (triggers := _live_triggers(article, sentence, names))]
    if live:
        article.learn_people()  # the officials named by office, before the parse needs them
    pending = _Pending(article, live)
    if title and home:
        pending.title = _pending(title, published, None, None, home=False, people=article.people)
    return pending


def _is_headline(text: str, sentence: Sentence) -> bool:
    """A title, or a line of its own that no punctuation ends ("Nepal summons India envoy")."""
    whole_line = (sentence.start == 0 or text[sentence.start - 1] == "\n") and \
        (sentence.end == len(text) or text[sentence.end] == "\n")
    return whole_line and not _ENDS_PROSE.search(sentence.text) and len(sentence.text.split()) <= 25


def _parse_all(pendings: list[_Pending]) -> None:
    """Parse the live sentences of every pending article and title in one call."""
    jobs = []
    for top in pendings:
        for p in (top.title, top):
            for sentence, _ in p.live if p is not None else ():
                skip = max((m.end() for m in (_DATELINE.match(sentence.text), _WIRE_DATELINE.match(sentence.text)) if m),
                           default=0)
                start, end = sentence.start + skip, sentence.end
                headline = _is_headline(p.article.text, sentence)
                if headline:  # "... - Reuters": the outlet is no part of the headline's grammar
                    end = sentence.start + _OUTLET.search(sentence.text).start()
                jobs.append((p, sentence, start, end, headline))
    headlines = {i: [(e.start - start, e.end - start) for e in p.article.entities_in(start, end)]
                 for i, (p, _, start, end, headline) in enumerate(jobs) if headline}
    docs = parse([p.article.text[start:end] for p, _, start, end, _ in jobs], headlines)
    for (p, sentence, start, _, _), doc in zip(jobs, docs):
        p.parsed.append(Parsed(doc, start, p.article.entities_in(sentence.start, sentence.end)))


def _mentions(pending: _Pending) -> list[Mention]:
    return [mention for (sentence, triggers), parsed in zip(pending.live, pending.parsed)
            for mention in _sentence_mentions(pending.article, sentence, parsed, triggers)]


def _has_pair(mentions: list[Mention], mention: Mention, same_day: bool = False) -> bool:
    """Another mention of the pair (same_day: one the text does not date apart from this one)."""
    return any(o is not mention and (o.actor, o.target) == (mention.actor, mention.target) and not (
        same_day and o.date_explicit and mention.date_explicit and o.date is not None and mention.date is not None
        and not o.date.compatible(mention.date)) for o in mentions)


def _lead_protester(pending: _Pending) -> str | None:
    """The state the grammatical subject of the article's first protest to name one names
    ("Japan lodged a protest"): not of an unreal protest, nor of concern or an appeal (third
    states and crowds voice them too)."""
    for (sentence, triggers), parsed in zip(pending.live, pending.parsed):
        for start, end, rule, _, voice, _ in triggers:
            if voice not in ("agent", "noun") or rule in WEAK_RULES:
                continue
            key = parsed.key_token(start, end)
            if key is not None and not is_unreal(key) and not the_cause(key) \
                    and (state := subject_state(pending.article, parsed, sentence, key)):
                return state
    return None


def _finish(pending: _Pending) -> list[Mention]:
    article = pending.article
    title_mentions = _mentions(pending.title) if pending.title else []
    title_pairs = {(m.actor, m.target) for m in title_mentions}
    if title_mentions:  # "Polish envoy to Russia summoned": the article speaks for the title's protester
        article.home = title_mentions[0].actor
    elif not article.home_told:  # the text's own protesters outweigh a ministry's or the counts' state
        article.home = _lead_protester(pending) or article.home
    # "We condemn this resolution": the title names the other party of the article's protest.
    article.lead_target = min(title_pairs)[1] if title_pairs else None
    mentions = _mentions(pending)
    # A meeting reads as a summons only beside other evidence for the pair; a recall of one's
    # own envoy is a protest only when the text tells of no other protest by that pair.
    # Both roles guessed from context ("the attack is unacceptable"): only a type for a pair found otherwise.
    sure = [m for m in mentions if not m.rule.endswith("/guess")]
    protests = [m for m in mentions if not m.rule.startswith("statement_recall")]
    mentions = [m for m in mentions if not (m.types == ("summon",) and "meeting" in m.rule and not _has_pair(mentions, m))
                and not (m.rule.startswith("statement_recall") and _has_pair(protests, m, same_day=True))
                and not (m.rule.endswith("/guess") and not _has_pair(sure, m))]
    for guess in (m for m in mentions if m.rule.endswith("/guess")):  # one incident with its pair's
        pair = next(o for o in sure if (o.actor, o.target) == (guess.actor, guess.target))
        guess.date, guess.date_explicit, guess.reported_only = pair.date, pair.date_explicit, pair.reported_only
    for mention in mentions:  # an incident dated well before its article is background, whatever the wording
        if mention.date_explicit and is_old(article, mention.date):
            mention.reported_only = True
    # The lead story: the title's pair(s) and the first mention's.
    lead = title_pairs | {(m.actor, m.target) for m in mentions if m.char_start == mentions[0].char_start}
    settle_dates(article, mentions, lead)
    _mark_reported(article, mentions, lead)
    return mentions


def extract_with_near_misses(articles: list[tuple]) -> list[Extraction]:
    """Mentions and near misses of each (text, published, title, year_hint), parsing all
    their candidate sentences in one batch."""
    pendings = [_pending(*article) for article in articles]
    _parse_all([p for p in pendings if p is not None])
    found = []
    for pending in pendings:
        if pending is None:  # no trigger word anywhere
            found.append(Extraction([], []))
            continue
        mentions = _finish(pending)
        found.append(Extraction(mentions, _near_misses(pending.article, mentions)))
    return found


def extract_many(articles: list[tuple]) -> list[list[Mention]]:
    """Mentions of each (text, published, title, year_hint)."""
    return [extraction.mentions for extraction in extract_with_near_misses(articles)]


def extract_mentions(text: str, published=None, title: str | None = None,
                     year_hint: int | None = None) -> list[Mention]:
    return extract_many([(text, published, title, year_hint)])[0]
