"""Officials the gazetteer does not list, learned from the article's own words: "Ruritanian
Foreign Minister Ann Vell", "Ann Vell, the Ruritanian foreign minister,", "the President of
Ruritania, Ann Vell", "President Ann Vell of Ruritania". Later "Vell said" and "Vell's
remarks" speak for Ruritania. An ambassador stands for the state that sends him.

The work is bounded: a few anchored matches around each state the gazetteer found, then
one scan of the text for the names learned. A name learned for two states is dropped.
"""

from __future__ import annotations

import re

from pipeline.gazetteer import Entity

_S = r"[^\S\n]"  # a space that is not a line break: a name never runs on to the next line
_OFFICE = (r"(?:(?i:(?:vice[- ])?president|(?:\w+ )?minister|premier|chancellor|king|queen|emir|sultan|crown prince|"
           r"secretary of state|(?:foreign |cabinet )?secretary|spokes(?:man|woman|person)|ambassador|envoy|"
           r"diplomat|high commissioner|charg[eé] d'affaires)|FM|PM)\b")
# "Minister of Foreign Affairs", "Minister for Defence".
_TAIL = rf"(?:{_S}+(?i:of|for){_S}+(?i:foreign{_S}+affairs|external{_S}+affairs|home{_S}+affairs|defen[cs]e|interior))?"
# Words between the state and the office: "Ruritanian foreign ministry spokeswoman".
_MODIFIERS = (rf"(?:(?i:foreign|ministry|affairs|government|presidential|deputy|acting|top|chief|new|current|interim|"
              rf"defen[cs]e|interior|finance|trade|justice|home|senior|state|national|security|cabinet|prime){_S}+){{0,3}}")
_NAME_WORD = r"(?:[A-Z](?=[\w'’-]*?[a-z])[\w'’-]*+|[A-Z]\.)"  # "Díaz-Canel", "O'Neill", "W.", not "US"
_PARTICLE = r"(?:da|de|del|dos|das|do|van|von|der|den|bin|ibn|al|el|di|du|la|le)"
_NAME = rf"(?-i:({_NAME_WORD}(?:{_S}+(?:{_PARTICLE}{_S}+)?{_NAME_WORD}){{0,4}}))"
# After a state word: "'s foreign ministry spokeswoman, Ann Vell", "ambassador to Borduria, Ann Vell".
_AFTER_STATE = re.compile(rf"(?:['’]s)?{_S}+{_MODIFIERS}({_OFFICE}){_TAIL}(?:{_S}+(?i:to|in){_S}+(?:the{_S}+)?[A-Z][\w ]{{1,30}}?,)?"
                          rf"(,?){_S}+{_NAME}")
# Before a state word: "Ann Vell, the " + "Ruritanian foreign minister".
_NAME_THEN = re.compile(rf"{_NAME},{_S}+(?:the{_S}+|a{_S}+)?$")
_THEN_OFFICE = re.compile(rf"(?:['’]s)?{_S}+{_MODIFIERS}({_OFFICE})")
# "President Ann Vell of " + state, "Ann Vell, the Foreign Minister of " + state, "the spokesman for the "
# + state + " government, Ann Vell".
_OFFICE_OF = re.compile(rf"(?:{_NAME},{_S}+(?:the{_S}+)?)?({_OFFICE}){_TAIL}(?:{_S}+{_NAME})?{_S}+(?:of|for){_S}+(?:the{_S}+)?$")
_THEN_NAME = re.compile(rf"(?:{_S}+(?i:government|ministry|foreign{_S}+ministry))?(,?){_S}+{_NAME}")
_BEFORE = re.compile(rf"(,){_S}+(?:the{_S}+|a{_S}+)?$|{_S}(?:of|for){_S}+(?:the{_S}+)?$")  # what a name or office needs before the state
_FORMER = re.compile(r"(?i:former|ex-|late|opposition|then)\s*$")
_SAID = re.compile(rf"{_S}+(?:said|says|told|added|wrote|stated)\b")  # "..., the X ambassador, Vell said": not a name in apposition
_HONORIFICS = frozenset({"His", "Her", "Excellency", "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Prof.", "Sheikh"})
_NOT_NAMES = frozenset({
    "The", "This", "That", "On", "In", "At", "As", "He", "She", "It", "They", "We", "But", "And", "Of", "To", "For", "Over",
    "After", "With", "From", "About", "Amid", "Against", "By", "Who", "When", "Said", "Says", "Told", "Has", "Had", "Was",
    "Is", "Will", "Meanwhile", "Earlier", "Later", "However", "Also", "Separately", "Yesterday", "Today", "Last", "Next",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October", "November", "December", "Ministry", "Foreign",
    "Office", "Affairs", "Government", "Embassy", "Extraordinary", "Plenipotentiary",
})
_OFFICE_WORD = re.compile(_OFFICE)
_NAMING_KINDS = ("name", "adjective")  # the entities an official is learned beside (not tables.STATE_KINDS)


def _name(found: str, known: set[str], comma: bool) -> str | None:
    """The person's name at the start of found: "Ann Vell" of "His Excellency Ann Vell's";
    none in "Over London's" or "Meanwhile". After a comma, only a full name ("Ann Vell")."""
    words = found.split()
    while words and words[0] in _HONORIFICS:
        words.pop(0)
    name: list[str] = []
    for i, word in enumerate(words):
        base = word[:-2] if word.endswith(("'s", "’s")) else word
        if base in _NOT_NAMES or (i and base in known) or _OFFICE_WORD.fullmatch(base):
            break
        name.append(base)
        if base != word:
            break  # "Ann Vell's remarks"
    if not name or (len(name) == 1 and (comma or name[0] in known)):
        return None
    return " ".join(name)


def learn(text: str, entities: list[Entity]) -> dict[str, tuple[str, str]]:
    """Each official's name -> (state code, office), from the patterns above."""
    known = {e.surface for e in entities if e.kind != "official"}
    learned: dict[str, set[tuple[str, str]]] = {}

    def add(found: str | None, code: str, office: str, start: int, comma: bool, end: int) -> bool:
        name = _name(found, known, comma) if found else None
        if name and not _FORMER.search(text, max(0, start - 12), start) and not (comma and _SAID.match(text, end)):
            learned.setdefault(name, set()).add((code, office.lower()))
        return bool(name)

    for entity in entities:
        if entity.kind not in _NAMING_KINDS:
            continue
        code = entity.code
        after = _AFTER_STATE.match(text, entity.end)
        if after:
            add(after.group(3), code, after.group(1), entity.start, bool(after.group(2)), after.end())
        window, near = max(0, entity.start - 80), _BEFORE.search(text, max(0, entity.start - 10), entity.start)
        if near is None:
            continue
        office = _THEN_OFFICE.match(text, entity.end) if near.group(1) else None
        before = _NAME_THEN.search(text, window, entity.start) if office else None
        if before:
            add(before.group(1), code, office.group(1), entity.start, True, office.end())
        office_of = _OFFICE_OF.search(text, window, entity.start) if not near.group(1) else None
        if office_of and not add(office_of.group(3), code, office_of.group(2), office_of.start(), False, entity.end) \
                and not add(office_of.group(1), code, office_of.group(2), office_of.start(), True, entity.end):
            then = _THEN_NAME.match(text, entity.end)
            if then:
                add(then.group(2), code, office_of.group(2), office_of.start(), bool(then.group(1)), then.end())
    return {name: next(iter(pairs)) for name, pairs in learned.items() if len({c for c, _ in pairs}) == 1}


def _aliases(people: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """The full name and the surname ("Vell"); of a longer name, each word after the first
    ("Luis Alberto Mora Vell": "Mora" too). A word two people share is no one's."""
    aliases: dict[str, set[tuple[str, str]]] = {}
    for name, pair in people.items():
        aliases.setdefault(name, set()).add(pair)
        for word in name.split()[1:]:
            if len(word) >= 3 and word[0].isupper():
                aliases.setdefault(word, set()).add(pair)
    return {alias: next(iter(pairs)) for alias, pairs in aliases.items() if len({c for c, _ in pairs}) == 1}


_WORD_BEFORE = re.compile(r"([\w'’.-]+)\s+$")


def with_people(text: str, entities: list[Entity], people: dict[str, tuple[str, str]]) -> list[Entity]:
    """The entities, and the people learned wherever the text names them: a bare surname
    not after another name ("Bo Vell" is another Vell than "Ann Vell"); a full name covers the
    state word inside it ("Israel" in "Israel Kotz"), else the gazetteer's entity wins."""
    aliases = _aliases(people)
    if not aliases:
        return entities
    pattern = re.compile(r"(?<![\w'’-])(?:" + "|".join(map(re.escape, sorted(aliases, key=len, reverse=True))) + r")(?![\w-])")
    found = []
    for match in pattern.finditer(text):
        surface, start = match.group(), match.start()
        before = _WORD_BEFORE.search(text, max(0, start - 30), start)
        word = before.group(1) if before else ""
        if surface in people or not word[:1].isupper() or word.endswith(".") or word in _NOT_NAMES or word in _HONORIFICS \
                or _OFFICE_WORD.fullmatch(word):
            code, office = aliases[surface]
            found.append(Entity(start, match.end(), code, "official", surface, office))
    kept = [e for e in entities if not any(f.surface in people and f.start <= e.start and e.end <= f.end
                                            and (f.start, f.end) != (e.start, e.end) for f in found)]
    return sorted(kept + [f for f in found if not any(e.start < f.end and f.start < e.end for e in kept)])
