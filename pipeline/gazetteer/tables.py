"""Names of states and officials -> ISO codes, found in one pass over the text.

The data lives in data/gazetteer/ (states.tsv, officials.tsv, and any extra *.tsv a user
adds with the same columns), so users extend it without touching code. Matching is
case-sensitive, on word boundaries, longest match first, with an Aho-Corasick automaton
(one scan of the text whatever the number of names).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import NamedTuple

import ahocorasick_rs

from pipeline.paths import GAZETTEER_DIR

STATE_KINDS = ("name", "adjective", "capital", "ministry")


class Entity(NamedTuple):  # a NamedTuple: built by the thousand, cheaper than a frozen dataclass
    start: int
    end: int
    code: str
    kind: str  # name | adjective | capital | ministry | official
    surface: str
    role: str | None = None  # officials: their role ("ambassador", "foreign minister", ...)


@dataclass(frozen=True)
class _Entry:
    surface: str
    code: str
    kind: str
    role: str | None


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle, delimiter="\t") if row and not (row.get(next(iter(row))) or "").startswith("#")]


# Files are read in this order, then any other *.tsv: the first file to name a surface wins.
_FIRST_FILES = ("states.tsv", "officials.tsv")
BLOCKER = "blocker"  # a phrase that contains a state word but names no state ("Minsk Group")
SURNAME = "surname"  # an official's bare surname, trusted only after the full name
KNOWN_SURNAME = "known surname"  # a leader's or spokesperson's bare surname, trusted alone


def _gazetteer_files(directory: Path) -> list[Path]:
    first = [directory / name for name in _FIRST_FILES if (directory / name).is_file()]
    return first + sorted(p for p in directory.glob("*.tsv") if p.name not in _FIRST_FILES)


def _load_entries(directory: Path) -> list[_Entry]:
    entries: dict[str, _Entry] = {}
    common: set[str] = set()
    for path in _gazetteer_files(directory):
        for row in _read_tsv(path):
            if "surface" in row:  # a states file
                surface, code, kind, role = row["surface"], row["code"], row["kind"], None
            elif "name" in row:  # an officials file
                surface, code, kind, role = row["name"], row["code"], "official", (row.get("role") or None)
            elif "phrase" in row:  # a blockers file
                surface, code, kind, role = row["phrase"], "---", BLOCKER, None
            elif "surname" in row:  # surnames too common to stand alone for an official
                common.add((row["surname"] or "").strip())
                continue
            else:
                continue
            surface, code = (surface or "").strip(), (code or "").strip().upper()
            if len(surface) < 2 or len(code) != 3:
                continue
            entries.setdefault(surface, _Entry(surface, code, kind.strip(), role))
    officials = [e for e in entries.values() if e.kind == "official"]
    surname_codes: dict[str, set[str]] = {}
    for entry in officials:
        surname_codes.setdefault(entry.surface.split()[-1], set()).add(entry.code)
    for entry in officials:
        surname = entry.surface.split()[-1]
        # "Lavrov said": a long surname of one official's country, used after the full name,
        # or alone for a leader or spokesperson whose surname is not a common one.
        if len(surname) >= 5 and surname not in entries and surname[0].isupper() and len(surname_codes[surname]) == 1:
            alone = bool(entry.role and _WELL_KNOWN_ROLES.search(entry.role)) and surname not in common
            entries[surname] = _Entry(surname, entry.code, KNOWN_SURNAME if alone else SURNAME, entry.role)
    return list(entries.values())


# "Moscow-based", "Russian-speaking", "Armenian-American": the word is not the state.
# "pro-Armenian stance", "anti-Azerbaijani campaign": an attitude, not the state.
_PRO_OR_ANTI = re.compile(r"\b(?:pro|anti)-$", re.I)
_NOT_THE_STATE = re.compile(r"-(?:based|speaking|born|language|made|owned|American|Americans)\b")


# Heads of state and government, foreign ministers and spokespeople are named by surname
# alone ("Aliyev said"), unless common_surnames.tsv lists the surname as a common word or name.
_WELL_KNOWN_ROLES = re.compile(r"president|prime minister|premier|chancellor|foreign (?:minister|secretary|affairs)|secretary of state|"
                               r"spokes|high representative|head of state|\b(?:king|emir|sultan|crown prince|leader|general secretary|chief adviser)\b", re.I)


def _hyphenated(text: str, start: int, end: int) -> bool:
    """"Moscow-based", "pro-Armenian": both patterns need a hyphen right there, which is
    cheaper to look for first ("-$" also matches before a final newline)."""
    if text.startswith("-", end) and _NOT_THE_STATE.match(text, end):
        return True
    return "-" in text[max(0, start - 2):start] and _PRO_OR_ANTI.search(text, max(0, start - 5), start) is not None


# "Pakistan Point News", "Japan Today", "Kuwait Times": an outlet's name, not its state.
_OUTLET_WORD = re.compile(r" (?:Point )?(?:News|Times|Today|Daily|Post|Herald|Tribune|Observer|Gazette|Chronicle|Insider)\b")


def _outlet(text: str, end: int) -> bool:
    return text.startswith(" ", end) and _OUTLET_WORD.match(text, end) is not None


# A place named after a state or its capital: "Cape Washington", "Mount Lebanon", "Fort Jackson".
_LANDMARK_BEFORE = re.compile(r"\b(?:Cape|Mount|Mt\.?|Lake|Fort|Camp) $", re.I)


def _landmark(text: str, start: int) -> bool:
    return _LANDMARK_BEFORE.search(text, max(0, start - 6), start) is not None


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _on_word_boundaries(text: str, start: int, end: int) -> bool:
    """Not inside a word on either side (a match that starts or ends mid-word)."""
    # _is_word_char inlined for the outer character, which usually decides: hot code.
    if start > 0:
        before = text[start - 1]
        if (before.isalnum() or before == "_") and _is_word_char(text[start]):
            return False
    if end < len(text):
        after = text[end]
        if (after.isalnum() or after == "_") and _is_word_char(text[end - 1]):
            return False
    return True


class Gazetteer:
    def __init__(self, entries: list[_Entry]):
        self._entries = entries
        self._by_surface = {e.surface: e for e in entries}
        surfaces = [e.surface for e in entries]
        self._automaton = ahocorasick_rs.AhoCorasick(surfaces, matchkind=ahocorasick_rs.MATCHKIND_STANDARD)
        self._longest = ahocorasick_rs.AhoCorasick(surfaces, matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_LONGEST)

    @classmethod
    def from_directory(cls, directory: Path) -> "Gazetteer":
        return cls(_load_entries(directory))

    def __len__(self) -> int:
        return len(self._entries)

    def _name_spans(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, entry index) of every name on word boundaries, sorted by start, the
        longest first. The leftmost-longest pass alone gives what find() keeps of them when
        all its matches are on word boundaries (the usual case); one inside a word ("Oman"
        in "Romania") may hide a shorter or a later name, so then all matches are needed."""
        longest = self._longest.find_matches_as_indexes(text)
        for _, start, end in longest:  # a plain loop: hot, and all() over a generator is slower
            if not _on_word_boundaries(text, start, end):
                break
        else:
            return [(start, end, index) for index, start, end in longest]
        candidates = sorted((start, -end, index)
                            for index, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True)
                            if _on_word_boundaries(text, start, end))
        return [(start, -neg_end, index) for start, neg_end, index in candidates]

    def find(self, text: str) -> list[Entity]:
        """Non-overlapping entities on word boundaries, leftmost-longest; blockers hide
        what they cover, and a bare surname counts only after its full name."""
        found, last_end = [], 0
        full_names: set[tuple[str, str]] = set()
        for start, end, index in self._name_spans(text):
            if start < last_end:
                continue
            last_end = end
            entry = self._entries[index]
            if entry.kind == BLOCKER or _hyphenated(text, start, last_end) or (
                    entry.kind in STATE_KINDS and (_outlet(text, last_end) or _landmark(text, start))):
                continue
            if entry.kind == "official":
                full_names.add((entry.surface.split()[-1], entry.code))
            elif entry.kind in (SURNAME, KNOWN_SURNAME):
                if entry.kind == SURNAME and (entry.surface, entry.code) not in full_names:
                    continue
                entry = _Entry(entry.surface, entry.code, "official", entry.role)
            found.append(Entity(start, last_end, entry.code, entry.kind, text[start:last_end], entry.role))
        return found

    def lookup(self, surface: str) -> _Entry | None:
        return self._by_surface.get(surface)

    @cached_property
    def shared_ministries(self) -> frozenset[str]:
        """Ministry names that other states' ministries end with ("Foreign Office": "the Pakistan
        Foreign Office", "the German Foreign Office"): alone, any of them."""
        ministries = [e for e in self._entries if e.kind == "ministry"]
        return frozenset(m.surface for m in ministries if any(
            o.code != m.code and o.surface.endswith(" " + m.surface) for o in ministries))

    def is_shared_ministry(self, entity: Entity) -> bool:
        """"The Foreign Office" alone: a ministry name that says nothing of whose."""
        return entity.kind == "ministry" and entity.surface in self.shared_ministries


@lru_cache(maxsize=4)
def load_protecting_powers(directory: Path = GAZETTEER_DIR) -> dict[tuple[str, str], str]:
    """protecting_powers.tsv: (host, protecting power) -> the state whose interests the
    protecting power's embassy in the host represents (the Swiss in Tehran for the USA)."""
    path = Path(directory) / "protecting_powers.tsv"
    rows = _read_tsv(path) if path.is_file() else []
    return {(row["host"], row["protector"]): row["represented"] for row in rows if row.get("host") and row.get("represented")}


@lru_cache(maxsize=4)
def load_groups(directory: Path = GAZETTEER_DIR) -> dict[str, tuple[str, ...]]:
    """groups.tsv: a group of states with a fixed membership ("Baltic states") -> its members."""
    path = Path(directory) / "groups.tsv"
    rows = _read_tsv(path) if path.is_file() else []
    return {row["group"].strip().lower(): tuple(row["members"].split()) for row in rows if row.get("group") and row.get("members")}


@lru_cache(maxsize=4)
def load_gazetteer(directory: Path = GAZETTEER_DIR) -> Gazetteer:
    return Gazetteer.from_directory(Path(directory))
