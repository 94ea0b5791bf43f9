"""Who protested to whom: resolving actor, target and diplomat around one trigger.

States are found by the gazetteer (names, adjectives, capitals, ministries, officials).
The summoned diplomat's country is the target; the country a diplomat is accredited to
("ambassador to Moscow") is the summoning state unless the sentence names another.
Statements take their actor from the subject before the trigger, a first-person quote
from its speaker, a community or party from the words around it (NGO), and fall back on
the state the article speaks for.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.extraction import cues
from pipeline.extraction.gazetteer import Entity
from pipeline.extraction.guards import may_contain

if TYPE_CHECKING:
    from pipeline.extraction.extractor import Article
    from pipeline.extraction.sentences import Sentence

SEPARATIST = "XKB"
_BEFORE_DIPLOMAT = re.compile(r"^(?:['’]s?)?\s+(?:(?:new|acting|deputy|former|interim|top|senior|permanent|temporary|the)\s+){0,2}$", re.I)
_OF_LINK = re.compile(r"^\s+(?:of|from)\s+(?:the\s+)?$", re.I)
_AND_LINK = re.compile(r"^\s*(?:,|and|,\s*and)\s+(?:the\s+)?$", re.I)
_HOST_LINK = re.compile(r"^\s+(?:to|in|at)\s+(?:the\s+)?$", re.I)
_BY_LINK = re.compile(r"\b(?:by|to|at|with|from)\s+(?:the\s+)?(?:[\w'’.-]+\s+){0,3}$", re.I)
_BE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+\s+)?$", re.I)
_NAME = re.compile(r"\s*(?:,\s*)?((?:[A-Z][\w'’.-]+\s+){0,2}[A-Z][\w'’-]+)")
# Where the clause with the protested thing starts: after "declared that", "said", ":".
_COMPLEMENT = re.compile(cues.SPEECH_VERBS.pattern + r"\s+(?:that\s+)?|\b(?:declare|declares|note|notes|believe|believes|"
                         r"stress|stresses|consider|considers|considered|think|thinks|find|finds|recall|recalls|recalled|"
                         r"insist|insists|insisted|emphasi[sz]e|emphasi[sz]es)\s+that\s|:\s", re.I)
_MINISTRY_OR_MINISTER = re.compile(r"\bministry|\bMFA\b|foreign minister|state department|foreign office", re.I)
# Verbs that give a note to someone ("hands", "was handed", "delivered", "lodged").
_GIVE = re.compile(
    r"\b(?:hand(?:s|ed|ing)?(?:\s+over)?|deliver(?:s|ed|ing)?|sen[dt]s?|sending|present(?:s|ed|ing)?|"
    r"lodg(?:e|es|ed|ing)|submit(?:s|ted|ting)?|convey(?:s|ed|ing)?|pass(?:es|ed)?\s+on|address(?:es|ed)|"
    r"receiv(?:e|es|ed|ing)|issu(?:e|es|ed|ing))\b", re.I)
_ANAPHORIC_OBJECT = re.compile(
    r"\s+(?:[\"“][^\"”]{0,40}[\"”]\s+|in the strongest terms\s+|(?:also|again)\s+)?"
    r"(?:(?:the|this|that|these|those|such|its|their|his|her)\s+|it\b|what\b)", re.I)
_OBJECT_PRONOUN = re.compile(r"\s+(?:him|her|them)\b", re.I)
_EACH_OTHER = re.compile(r"\b(?:each other|one another)(?:['’]s)?\s*$", re.I)
_EACH_OTHER_WORDS = ("each other", "one another")
_RELATIVE = re.compile(r",\s+(?:which|who|whose|where)\b")
_COORDINATED = re.compile(r"(?:,\s*|\s)and\s+(?:(?:also|then|publicly|sharply|openly)\s+)?$", re.I)
_PRONOUN_BEFORE = re.compile(r"\b(it|he|she|they|we)\s+(?:(?:also|again|then|had|has|have|strongly|sharply|firmly|publicly|later|immediately)\s+){0,2}$", re.I)
_DIPLOMAT_ROLES = re.compile(r"ambassador|envoy|charg|diplomat|consul", re.I)
_INSTITUTION_WORD = re.compile(r"\b(?:Ministry|Foreign|Affairs|Embassy|Republic)\b")
_CLOSING_QUOTE = re.compile(r"[”\"'’],?\s*$")
_EACH_OTHER_AFTER = re.compile(r"\s*(?:each other|one another)\b", re.I)
_PROTEST_WORD = re.compile(r"protest|note|discontent|displeasure", re.I)
_OF_OR_FOR = re.compile(r"\b(?:of|for)\b")


@dataclass(frozen=True)
class Roles:
    actor: str
    target: str
    diplomat: str | None
    how: str  # how the actor was found: subject | host | speaker | ngo | context | ...
    certainty: float  # 1.0 when both roles were explicit in the sentence
    also_targets: tuple[str, ...] = ()  # "the ambassadors of France and Germany"
    also_actors: tuple[str, ...] = ()  # "Germany and France summoned ..."


@dataclass(frozen=True)
class _Diplomat:
    start: int
    end: int
    codes: tuple[str, ...]
    host: str | None
    name: str | None


def _state_entities(entities: list[Entity]) -> list[Entity]:
    return [e for e in entities if e.kind != "official" or e.code]


def _diplomats(article: "Article", sentence: "Sentence") -> list[_Diplomat]:
    """The diplomats a sentence names, found once per sentence (asked again per trigger)."""
    cached = article.diplomats.get(sentence.start)
    if cached is None:
        cached = article.diplomats[sentence.start] = _find_diplomats(article, sentence)
    return cached


def _find_diplomats(article: "Article", sentence: "Sentence") -> list[_Diplomat]:
    text = article.text
    entities = article.entities_in(sentence.start, sentence.end)
    found = []
    for match in cues.DIPLOMAT.finditer(text, sentence.start, sentence.end):
        d_start, d_end = match.span()
        codes: list[str] = []
        before = [e for e in entities if e.end <= d_start and e.kind != "official"]
        if before and _BEFORE_DIPLOMAT.match(text[before[-1].end:d_start]):
            # "the Russian ambassador"; "the British and French ambassadors"
            chain = [before[-1]]
            for entity in reversed(before[:-1]):
                if not _AND_LINK.match(text[entity.end:chain[-1].start]):
                    break
                chain.append(entity)
            codes.extend(e.code for e in reversed(chain))
        after = [e for e in entities if e.start >= d_end]
        host = None
        cursor = d_end
        for entity in after:
            gap = text[cursor:entity.start]
            if not codes and _OF_LINK.match(gap):
                codes.append(entity.code)
                cursor = entity.end
            elif codes and cursor != d_end and _AND_LINK.match(gap) and host is None:
                codes.append(entity.code)
                cursor = entity.end
            elif _HOST_LINK.match(gap) and host is None:
                host = entity.code
                cursor = entity.end
            else:
                break
        name = None
        official = next((e for e in entities if e.kind == "official" and 0 <= e.start - cursor <= 40), None)
        official = official or next((e for e in entities if e.kind == "official" and 0 <= d_start - e.end <= 3), None)
        if official is not None:
            name = official.surface
            if not codes and (official.role is None or _DIPLOMAT_ROLES.search(official.role or "")):
                codes.append(official.code)
        else:
            m = _NAME.match(text, cursor)
            if m and m.end() <= sentence.end and not article.entities_in(m.start(1), m.end(1)):
                candidate = m.group(1)
                if len(candidate.split()) >= 2 and not _INSTITUTION_WORD.search(candidate):
                    name = candidate
        found.append(_Diplomat(d_start, cursor, tuple(dict.fromkeys(codes)), host, name))
    # "Satterfield has been called in": a known ambassador named without his title.
    for entity in entities:
        if (entity.kind == "official" and entity.role and _DIPLOMAT_ROLES.search(entity.role)
                and not any(d.start <= entity.start < d.end + 45 or 0 <= d.start - entity.end <= 3 for d in found)):
            found.append(_Diplomat(entity.start, entity.end, (entity.code,), None, entity.surface))
    found.sort(key=lambda d: d.start)
    return found


def _nearest_before(entities: list[Entity], position: int, exclude: set[str], sentence_start: int, text: str) -> Entity | None:
    for entity in reversed([e for e in entities if e.end <= position]):
        if entity.code in exclude:
            continue
        return entity
    return None


def _first_after(entities: list[Entity], position: int, exclude: set[str], text: str | None = None) -> Entity | None:
    """The first state after a position (states before separatists); with the text, not
    past a relative clause ("the allegations, which serve revanchist forces in Armenia")."""
    limit = None
    if text is not None:
        clause = _RELATIVE.search(text, position, position + 400)
        limit = clause.start() if clause else None
    after = [e for e in entities if e.start >= position and e.code not in exclude and (limit is None or e.start < limit)]
    states = [e for e in after if e.code != SEPARATIST]
    return (states or after or [None])[0]


def _group_actor(text: str, start: int, end: int, entities: list[Entity]) -> bool:
    """A community, party or NGO is speaking (words outside any state name)."""
    chunk = list(text[start:end])
    for entity in entities:
        if start <= entity.start and entity.end <= end:
            for i in range(entity.start - start, entity.end - start):
                chunk[i] = " "
    return bool(cues.NON_STATE_GROUP.search("".join(chunk)))


def _speaker(article: "Article", sentence: "Sentence", entities: list[Entity]) -> str | None:
    """_sentence_speaker, once per sentence: each trigger and each later sentence of the
    paragraph asks again. entities: the sentence's state entities (_state_entities)."""
    speakers = article.speakers
    if sentence.start not in speakers:
        speakers[sentence.start] = _sentence_speaker(article, sentence, entities)
    return speakers[sentence.start]


def _sentence_speaker(article: "Article", sentence: "Sentence", entities: list[Entity]) -> str | None:
    """The state of whoever the sentence quotes: the subject of its speech verb ("Hajiyev
    told", "the ministry said"), else who follows it ("said Zakharova"); never a name
    inside the quotation itself."""
    verb = cues.SPEECH_VERBS.search(sentence.text)
    if not verb:
        return None
    at = sentence.start + verb.start()
    if _PRONOUN_BEFORE.search(article.text, max(sentence.start, at - 30), at):
        return None  # "He said": whoever "he" is, not the state named before him
    outside = [e for e in entities if not article.in_quote(e.start)]
    before = [e for e in outside if e.end <= at and at - e.end <= 120]
    if before:
        officials = [e for e in before if e.kind in ("official", "ministry")]
        return (officials or before)[-1].code
    # '"...," said Zakharova': only an inverted attribution names the speaker after the verb.
    if not _CLOSING_QUOTE.search(article.text[max(sentence.start, at - 4):at]):
        return None
    after = [e for e in outside if e.start >= at + len(verb.group(0)) and e.start - at <= 80]
    return after[0].code if after else None


def _paragraph_speaker(article: "Article", sentence: "Sentence") -> str | None:
    """Who is speaking in this paragraph: the nearest earlier sentence's speaker."""
    for previous in article.earlier_in_paragraph(sentence):
        code = _speaker(article, previous, _state_entities(article.entities_in(previous.start, previous.end)))
        if code:
            return code
    return None


def _main_subject(article: "Article", sentence: "Sentence", start: int, entities: list[Entity]) -> str | None:
    """"..., accusing Kyiv of ...", "X said ... and accused Y of ...": a participle or a
    coordinated verb shares the sentence's subject, its first state or official."""
    before = article.text[max(sentence.start, start - 12):start]
    participle = article.text[start:start + 40].split(" ")[0].lower().endswith("ing") and before.rstrip().endswith(",")
    if not (participle or _COORDINATED.search(before)):
        return None
    firsts = [e for e in entities if e.start < start and not article.in_quote(e.start)]
    return firsts[0].code if firsts else None


def _pronoun_subject(article: "Article", sentence: "Sentence", start: int, entities: list[Entity],
                     speaker: str | None) -> str | None:
    """"when it condemned", "He condemned": the state a subject pronoun stands for."""
    match = _PRONOUN_BEFORE.search(article.text, max(sentence.start, start - 40), start)
    if match is None:
        return None
    pronoun = match.group(1).lower()
    people = [e for e in entities if e.end <= match.start() and e.kind == "official"]
    states = [e for e in entities if e.end <= match.start() and e.kind != "official"]
    if pronoun in ("he", "she"):
        if people:
            return people[0].code
        return speaker or article.last_actor
    if pronoun == "we":
        return speaker
    return (states[0].code if states else None) or article.last_actor


def _fallback_actor(article: "Article", exclude: str | None) -> str | None:
    """No actor in the sentence: the last explicit actor of the article, else its home state."""
    for candidate in (article.last_actor, article.home):
        if candidate and candidate != exclude:
            return candidate
    return None


def _mutual_roles(article: "Article", sentence: "Sentence", start: int, end: int,
                  entities: list[Entity]) -> Roles | None:
    """"Iran and Turkey summoned each other's ambassadors", "Armenia and Azerbaijan blamed
    each other": each coordinated subject protests to the others."""
    text = article.text
    after = text[end:min(sentence.end, end + 60)]
    if not may_contain(after.lower(), _EACH_OTHER_WORDS, after):
        return None  # the usual case, decided without the regexes below
    diplomat = cues.DIPLOMAT.search(after)
    near = after[:diplomat.start()] if diplomat else after[:25]
    if not _EACH_OTHER.search(near) and not _EACH_OTHER_AFTER.match(after):
        return None
    subject = _nearest_before(entities, start, set(), sentence.start, text)
    if subject is None:
        return None
    states = [subject.code, *_coordinated_before(text, entities, subject)]
    if len(set(states)) < 2:
        return None
    first, *rest = list(dict.fromkeys(states))
    return Roles(first, rest[0], None, "mutual", 0.9, also_targets=(first, *rest[1:]), also_actors=tuple(rest))


def _summon_roles(article: "Article", sentence: "Sentence", start: int, end: int, rule: str, voice: str,
                  entities: list[Entity], diplomat: _Diplomat) -> Roles | None:
    """A summons: the diplomat's country is the target; the actor is the summoning state."""
    text = article.text
    target = diplomat.codes[0]
    exclude = {target}
    outside_diplomat = [e for e in entities if not (diplomat.start <= e.start < diplomat.end)]
    if voice == "agent":
        subject = _nearest_before(outside_diplomat, start, exclude, sentence.start, text)
        if subject is not None:
            also = tuple(c for c in _coordinated_before(text, outside_diplomat, subject) if c != target)
            return Roles(subject.code, target, diplomat.name, "subject", 1.0, also_actors=also)
    else:
        for entity in (e for e in outside_diplomat if e.start >= end):
            if entity.code not in exclude and _BY_LINK.search(text[max(start, entity.start - 60):entity.start]):
                return Roles(entity.code, target, diplomat.name, "by", 1.0)
        if rule == "summon_invited" and not _MINISTRY_OR_MINISTER.search(sentence.text):
            return None
        if (rule == "summon_invited" and "received" in text[start:end]
                and not _PROTEST_WORD.search(sentence.text)):
            return None  # a diplomat received at a ministry is a meeting unless a protest is named
        subject = _nearest_before(outside_diplomat, diplomat.start, exclude, sentence.start, text)
        if subject is not None and subject.kind in ("ministry", "official"):
            return Roles(subject.code, target, diplomat.name, "subject", 0.95)
    if diplomat.host and diplomat.host != target:
        return Roles(diplomat.host, target, diplomat.name, "host", 0.9)
    fallback = _fallback_actor(article, exclude=target)
    return Roles(fallback, target, diplomat.name, "context", 0.75) if fallback else None


def resolve_roles(article: "Article", sentence: "Sentence", start: int, end: int, rule: str,
                  event_type: str, voice: str) -> Roles | None:
    text = article.text
    entities = _state_entities(article.entities_in(sentence.start, sentence.end))
    speaker = _speaker(article, sentence, entities) or _paragraph_speaker(article, sentence)
    all_diplomats = _diplomats(article, sentence)
    diplomats = [d for d in all_diplomats if d.codes]
    if diplomats:
        article.last_diplomat = min(diplomats, key=lambda d: abs(d.start - start))
    elif event_type == "summon" and article.last_diplomat is not None and (
            all_diplomats or _OBJECT_PRONOUN.match(text, end)):
        # "Ankara summoned him", "the ambassador was summoned again": the one named before.
        remembered = article.last_diplomat
        anchor = all_diplomats[0].start if all_diplomats else end
        diplomats = [_Diplomat(anchor, anchor, remembered.codes, None, remembered.name)]

    if voice == "agent" and _BE_BEFORE.search(text[sentence.start:start]) and event_type != "summon":
        voice = "passive"

    if voice == "agent":
        mutual = _mutual_roles(article, sentence, start, end, entities)
        if mutual is not None:
            return mutual
    if event_type == "summon":
        if not diplomats:
            return None
        diplomat = min(diplomats, key=lambda d: abs(d.start - start))
        roles = _summon_roles(article, sentence, start, end, rule, voice, entities, diplomat)
        if roles is None:
            return None
        others = tuple(c for c in diplomat.codes[1:] if c != roles.actor)
        return Roles(roles.actor, roles.target, roles.diplomat, roles.how, roles.certainty, others, roles.also_actors)


    if voice == "stimulus":
        # The thing protested is the subject of the clause the trigger is in: its first state.
        clause_start = sentence.start
        for link in _COMPLEMENT.finditer(text, sentence.start, start):
            clause_start = link.end()
        in_clause = [e for e in entities if clause_start <= e.start < start]
        target_entity = (in_clause or [None])[0] or _first_after(entities, end, set())
        if target_entity is None:
            return None
        target = target_entity.code
        if _group_actor(text, sentence.start, sentence.end, entities):
            return Roles("NGO", target, None, "ngo", 0.8)
        actor = speaker or _fallback_actor(article, exclude=None)
        how = "speaker" if speaker else "context"
        if actor == target:
            others = [e for e in entities if e.code not in (actor,)]
            if not others:
                return None
            target = others[-1].code
        return Roles(actor, target, None, how, 0.8) if actor else None

    if voice == "noun":
        roles = _note_roles(article, sentence, start, end, entities, diplomats)
        if roles is not None:
            return roles
    return _statement_roles(article, sentence, start, end, rule, voice, entities, diplomats, speaker)


def _note_roles(article: "Article", sentence: "Sentence", start: int, end: int,
                entities: list[Entity], diplomats: list[_Diplomat]) -> Roles | None:
    """A protest note named as a thing: who gave it ("Kyiv hands Moscow a protest note",
    "Azerbaijan's protest note", "was handed a note by ...") and to whom."""
    text = article.text
    give = None
    for match in _GIVE.finditer(text, max(sentence.start, start - 80), start):
        give = match
    if give is None:
        return None
    diplomat = min(diplomats, key=lambda d: abs(d.start - start)) if diplomats else None
    name = diplomat.name if diplomat else None
    if _BE_BEFORE.search(text[max(sentence.start, give.start() - 30):give.start()]):
        # "<diplomat> was handed a protest note": the receiver stands before the verb.
        receiver = diplomat.codes[0] if diplomat and diplomat.start < give.start() else None
        if receiver is None:
            before = _nearest_before(entities, give.start(), set(), sentence.start, text)
            receiver = before.code if before else None
        giver = _first_after(entities, end, {receiver} if receiver else set())
        giver_code = giver.code if giver else _fallback_actor(article, exclude=receiver)
        if receiver is None or giver_code is None:
            return None
        return Roles(giver_code, receiver, name, "by" if giver else "context", 0.9 if giver else 0.75)
    diplomat_codes = set(diplomat.codes) if diplomat else set()
    giver = _nearest_before(entities, give.start(), diplomat_codes, sentence.start, text)
    if giver is not None:
        actor, how, certainty = giver.code, "subject", 1.0
    elif cues.STATE_ORGAN.search(text[sentence.start:give.start()]):
        actor, how, certainty = _fallback_actor(article, exclude=None), "context", 0.75
    else:
        return None
    if actor is None:
        return None
    if diplomat_codes - {actor}:
        target = diplomat.codes[0] if diplomat.codes[0] != actor else sorted(diplomat_codes - {actor})[0]
    else:
        between = [e for e in entities if give.end() <= e.start and e.end <= start and e.code != actor]
        after = _first_after(entities, end, {actor})
        chosen = (between or [after])[0]
        target = chosen.code if chosen else _counterpart(article, sentence, actor)
    if target is None:
        return None
    return Roles(actor, target, name, how, certainty)


def _statement_roles(article: "Article", sentence: "Sentence", start: int, end: int, rule: str, voice: str,
                     entities: list[Entity], diplomats: list[_Diplomat], speaker: str | None) -> Roles | None:
    """A protest note or statement: who speaks, and about whom."""
    text = article.text
    diplomat = min(diplomats, key=lambda d: abs(d.start - start)) if diplomats else None
    diplomat_codes = set(diplomat.codes) if diplomat else set()
    diplomat_name = diplomat.name if diplomat else None
    before_clause = text[sentence.start:start]
    if voice == "passive":  # "... was condemned by Baku": the subject is the target
        target_entity = _nearest_before(entities, start, set(), sentence.start, text)
        actor_entity = _first_after(entities, end, {target_entity.code} if target_entity else set())
        if target_entity is None or actor_entity is None:
            return None
        return Roles(actor_entity.code, target_entity.code, diplomat_name, "by", 0.9)

    in_quote = article.in_quote(start)
    subject = None
    if not (in_quote and cues.FIRST_PERSON.search(before_clause[-120:])):
        subject = _nearest_before(entities, start, diplomat_codes, sentence.start, text)
        if subject is not None and in_quote and not article.in_quote(subject.start):
            subject = None
    also_actors: tuple[str, ...] = ()
    pronoun = _pronoun_subject(article, sentence, start, entities, speaker) if not in_quote else None
    main = _main_subject(article, sentence, start, entities) if not in_quote else None
    if pronoun is not None and pronoun not in diplomat_codes:
        actor, how, certainty = pronoun, "pronoun", 0.85
    elif main is not None and main not in diplomat_codes:
        actor, how, certainty = main, "main-subject", 0.9
    elif _group_speaks(text, sentence.start, start, entities):
        actor, how, certainty = "NGO", "ngo", 0.85
    elif subject is not None:
        actor, how, certainty = subject.code, "subject", 1.0
        also_actors = _coordinated_before(text, entities, subject)
    elif in_quote or cues.FIRST_PERSON.search(before_clause[-60:]):
        actor = speaker or _fallback_actor(article, exclude=None)
        how, certainty = "speaker", 0.85
    elif cues.STATE_ORGAN.search(before_clause):
        # "the ministry condemned ...": a state organ of the article's protesting state
        actor, how, certainty = _fallback_actor(article, exclude=None), "context", 0.7
    else:
        return None  # "the resolution condemns ...": no one we can name is protesting
    if actor is None:
        return None
    if rule in ("statement_accuse", "statement_blame"):
        # "accused Yerevan of ...": the accused must follow at once, or it is not a state.
        # The accused stands between the verb and its "of"/"for" ("accused Yerevan of").
        link = _OF_OR_FOR.search(text, end, min(sentence.end, end + 80))
        accused = [e for e in entities if end <= e.start and (link is None or e.end <= link.start())
                   and e.start <= end + 40 and e.code != actor]
        if not accused:
            return None
        return Roles(actor, accused[0].code, diplomat_name, how, certainty, also_actors=also_actors)
    if diplomat_codes and actor not in diplomat_codes:
        target, target_how = diplomat.codes[0], ""
    else:
        # Objects may stand inside the trigger ("expressed to the French side its protest").
        after = _first_after([e for e in entities if e.start > start], start, {actor}, text)
        if after is None:
            before = [e for e in entities if e.end <= start and e.code not in (actor,) and e.code not in also_actors]
            after = before[-1] if before else None
        if after is not None:
            target, target_how = after.code, ""
        elif _ANAPHORIC_OBJECT.match(text, end):
            # "We condemn this action": the act is the one the article is about.
            target, target_how = _counterpart(article, sentence, actor), "+counterpart"
        else:
            target, target_how = None, ""
        if target is None:
            return None
        if target_how:
            certainty *= 0.8
    return Roles(actor, target, diplomat_name, how + target_how, certainty, also_actors=also_actors)


def _coordinated_before(text: str, entities: list[Entity], subject: Entity) -> tuple[str, ...]:
    """"Germany and France summoned ...": the other states coordinated with the subject."""
    chain = [subject]
    for entity in reversed([e for e in entities if e.end <= subject.start]):
        if not _AND_LINK.match(text[entity.end:chain[-1].start]):
            break
        chain.append(entity)
    return tuple(dict.fromkeys(e.code for e in chain[1:] if e.code != subject.code))


def _counterpart(article: "Article", sentence: "Sentence", actor: str) -> str | None:
    """The other party of a protest whose object names no state ("We condemn this
    action"): the target of the article's first incident, else the first state of the
    nearest earlier sentence that names one besides the actor (the subject of what was
    just told), else the title's other state, else the state the article names most."""
    if article.lead_target and article.lead_target != actor:
        return article.lead_target
    in_title = [e.code for e in article.title_entities if e.code not in (actor, SEPARATIST)]
    if in_title:
        return in_title[0]
    index = bisect.bisect_left([s.start for s in article.sentences], sentence.start)
    for previous in reversed(article.sentences[max(0, index - 3):index]):
        others = [e for e in article.entities_in(previous.start, previous.end) if e.code not in (actor, SEPARATIST)]
        if others:
            return others[0].code
    counts: dict[str, int] = {}
    for entity in article.entities:
        if entity.code not in (actor, SEPARATIST):
            counts[entity.code] = counts.get(entity.code, 0) + 1
    if not counts:
        return None
    best = max(counts, key=counts.get)
    return best if counts[best] >= 2 else None


def _group_speaks(text: str, clause_start: int, trigger_start: int, entities: list[Entity]) -> bool:
    """A community, party or NGO is the speaker: its word comes after any state organ's
    ("the Azerbaijani community said", not "the ministry said the community")."""
    clause = text[clause_start:trigger_start]
    if not may_contain(clause.lower(), cues.NON_STATE_GROUP_WORDS, clause):
        return False  # masking state names only blanks letters out: it cannot add a group word
    chunk = list(clause)
    for entity in entities:
        if clause_start <= entity.start and entity.end <= trigger_start:
            for i in range(entity.start - clause_start, entity.end - clause_start):
                chunk[i] = " "
    masked = "".join(chunk)
    groups = list(cues.NON_STATE_GROUP.finditer(masked))
    if not groups:
        return False
    organs = list(cues.STATE_ORGAN_NOUN.finditer(masked))
    return not organs or groups[-1].start() > organs[-1].start()
