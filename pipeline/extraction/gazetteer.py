"""Names of states and officials -> ISO codes, found in one pass over the text.

The data lives in data/gazetteer/ (states.tsv, officials.tsv, and any extra *.tsv a user
adds with the same columns), so users extend it without touching code. Matching is
case-sensitive, on word boundaries, longest match first, with an Aho-Corasick automaton
(one scan of the text whatever the number of names).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick_rs

from pipeline.paths import GAZETTEER_DIR

STATE_KINDS = ("name", "adjective", "capital", "ministry")


@dataclass(frozen=True)
class Entity:
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


def _load_entries(directory: Path) -> list[_Entry]:
    entries: dict[str, _Entry] = {}
    for path in sorted(directory.glob("*.tsv")):
        for row in _read_tsv(path):
            if "surface" in row:  # a states file
                surface, code, kind, role = row["surface"], row["code"], row["kind"], None
            elif "name" in row:  # an officials file
                surface, code, kind, role = row["name"], row["code"], "official", (row.get("role") or None)
            else:
                continue
            surface, code = (surface or "").strip(), (code or "").strip().upper()
            if len(surface) < 2 or len(code) != 3:
                continue
            # The first file to name a surface wins; states.tsv sorts before officials.tsv.
            entries.setdefault(surface, _Entry(surface, code, kind.strip(), role))
    for entry in list(entries.values()):
        if entry.kind == "official" and entry.role is not None:
            surname = entry.surface.split()[-1]
            # "Lavrov said": a surname alone, when it is long and names one official only.
            if len(surname) >= 5 and surname not in entries and surname[0].isupper():
                same = [e for e in entries.values() if e.kind == "official" and e.surface.split()[-1] == surname]
                if len({e.code for e in same}) == 1:
                    entries[surname] = _Entry(surname, entry.code, "official", entry.role)
    return list(entries.values())


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class Gazetteer:
    def __init__(self, entries: list[_Entry]):
        self._entries = entries
        self._automaton = ahocorasick_rs.AhoCorasick(
            [e.surface for e in entries], matchkind=ahocorasick_rs.MATCHKIND_STANDARD
        )

    @classmethod
    def from_directory(cls, directory: Path) -> "Gazetteer":
        return cls(_load_entries(directory))

    def __len__(self) -> int:
        return len(self._entries)

    def find(self, text: str) -> list[Entity]:
        """Non-overlapping entities on word boundaries, leftmost-longest."""
        candidates = []
        for index, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True):
            if start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
                continue
            if end < len(text) and _is_word_char(text[end]) and _is_word_char(text[end - 1]):
                continue
            candidates.append((start, -end, index))
        candidates.sort()
        found, last_end = [], 0
        for start, neg_end, index in candidates:
            if start < last_end:
                continue
            last_end = -neg_end
            entry = self._entries[index]
            found.append(Entity(start, last_end, entry.code, entry.kind, text[start:last_end], entry.role))
        return found


@lru_cache(maxsize=4)
def load_gazetteer(directory: Path = GAZETTEER_DIR) -> Gazetteer:
    return Gazetteer.from_directory(Path(directory))
