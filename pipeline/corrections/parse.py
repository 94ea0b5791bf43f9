"""Corrections file text -> validated Corrections. Every problem names its entry (position
and id); one bad entry makes the whole file unusable, so that the last good set stays in
force instead of a partial one (see corrections_file.py)."""

from __future__ import annotations

import csv
import re
from datetime import date, datetime
from functools import lru_cache

import yaml

from pipeline.corrections.model import ACTIONS, SCOPES, Anchor, Changes, Correction, CorrectionsError
from pipeline.extraction.model import EVENT_TYPES
from pipeline.dates.partial_date import PartialDate
from pipeline.paths import GAZETTEER_DIR

# Codes that are no state in the gazetteer but that the ontology uses (DESIGN.md).
EXTRA_CODES = frozenset({"NGO"})
_PAIR = re.compile(r"^([A-Z]{3})\s*>\s*([A-Z]{3})$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_ENTRY_KEYS = {"id", "action", "scope", "article", "evidence", "pair", "set", "into", "why", "who", "when"}
_ANCHOR_KEYS = {"article", "evidence", "pair"}
_CHANGE_KEYS = {"actor", "target", "date", "types", "reported_only", "diplomat", "cause"}


@lru_cache(maxsize=1)
def known_codes() -> frozenset[str]:
    """Every actor/target code the extractor can give: the gazetteer's states, plus NGO."""
    with open(GAZETTEER_DIR / "states.tsv", encoding="utf-8", newline="") as handle:
        codes = {row["code"] for row in csv.DictReader(handle, delimiter="\t") if row.get("code")}
    return frozenset(codes) | EXTRA_CODES


def parse_date(value) -> PartialDate:
    """'2019', '2019-11' or '2019-11-06' (YAML may give a date or an int) -> PartialDate."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return PartialDate.of(value)
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}(-\d{2}){0,2}", text):
        raise ValueError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    parsed = PartialDate.parse(text)
    try:
        parsed.first_day, parsed.last_day  # noqa: B018 - month 13 or day 45 parse but are no dates
    except ValueError:
        raise ValueError(f"date {value!r} does not exist") from None
    return parsed


def _text(entry: dict, key: str, required: bool = True) -> str | None:
    value = entry.get(key)
    if value is None and not required:
        return None
    if isinstance(value, (date, datetime)) and key == "when":
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key!r} must be a non-empty string, got {value!r}")
    return value.strip() if key != "evidence" else value


def _code(value, key: str, codes: frozenset[str]) -> str:
    if not isinstance(value, str) or value.strip().upper() not in codes:
        raise ValueError(f"{key} {value!r} is not a known code (ISO alpha-3 from data/gazetteer, or NGO)")
    return value.strip().upper()


def _pair(value, codes: frozenset[str]) -> tuple[str, str] | None:
    if value is None:
        return None
    match = _PAIR.match(str(value).strip().upper())
    if not match:
        raise ValueError(f"pair {value!r} must read ACTOR>TARGET, e.g. AZE>RUS")
    return _code(match[1], "pair actor", codes), _code(match[2], "pair target", codes)


def _check_keys(raw, allowed: set[str], what: str) -> None:
    """A mapping with no key but the allowed ones: a typo ("reson:") is an error, not ignored."""
    if not isinstance(raw, dict):
        raise ValueError(f"{what} must be a mapping, got {raw!r}")
    unknown = set(raw) - allowed
    if unknown:
        raise ValueError(f"{what} has unknown key(s) {sorted(unknown)}; allowed: {sorted(allowed)}")


def _anchor(raw, codes: frozenset[str]) -> Anchor:
    return Anchor(_text(raw, "article"), _text(raw, "evidence"), _pair(raw.get("pair"), codes))


def _types(value) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(t, str) and t in EVENT_TYPES for t in items):
        raise ValueError(f"types {value!r} must be a non-empty list of {', '.join(EVENT_TYPES)}")
    return tuple(sorted(set(items)))


def parse_changes(raw, codes: frozenset[str]) -> Changes:
    if raw is None:
        return Changes()
    _check_keys(raw, _CHANGE_KEYS, "'set'")
    reported = raw.get("reported_only")
    if reported is not None and not isinstance(reported, bool):
        raise ValueError(f"reported_only must be true or false, got {reported!r}")
    changes = Changes(
        actor=_code(raw["actor"], "actor", codes) if raw.get("actor") is not None else None,
        target=_code(raw["target"], "target", codes) if raw.get("target") is not None else None,
        date=parse_date(raw["date"]) if raw.get("date") is not None else None,
        types=_types(raw["types"]) if raw.get("types") is not None else None,
        reported_only=reported,
        diplomat=_text(raw, "diplomat", required=False),
        cause=_text(raw, "cause", required=False),
    )
    if changes.actor and changes.actor == changes.target:
        raise ValueError(f"actor equals target ({changes.actor}): no state protests to itself")
    if changes.date and changes.date.first_day > date.today():
        raise ValueError(f"date {changes.date.iso()} is in the future")
    return changes


def _correction(entry, codes: frozenset[str]) -> Correction:
    _check_keys(entry, _ENTRY_KEYS, "the entry")
    ident = entry.get("id")
    if not isinstance(ident, str) or not _ID.match(ident):
        raise ValueError(f"'id' must be a short name of letters, digits, '.', '_' or '-', got {ident!r}")
    action = entry.get("action")
    if action not in ACTIONS:
        raise ValueError(f"action {action!r} is not one of {', '.join(ACTIONS)}")
    scope = entry.get("scope", "mention" if action in ("add", "split", "merge") else None)
    if action in ("accept", "reject", "fix") and scope not in SCOPES:
        raise ValueError(f"{action} needs 'scope': mention (this mention only) or incident (every mention of its incident)")
    if action in ("add", "split", "merge") and scope != "mention":
        raise ValueError(f"{action} takes no 'scope' (it is about the anchored mention)")
    changes = parse_changes(entry.get("set"), codes)
    if action in ("accept", "reject", "merge") and not changes.is_empty():
        raise ValueError(f"{action} takes no 'set'")
    if action == "fix" and changes.is_empty():
        raise ValueError("fix needs 'set' with at least one new value")
    if action == "add":
        missing = [k for k in ("actor", "target", "date", "types") if getattr(changes, k) is None]
        if missing:
            raise ValueError(f"add needs 'set' with {', '.join(missing)}")
    if (action == "merge") != (entry.get("into") is not None):
        raise ValueError("merge needs 'into' (a mention of the incident to merge into)" if action == "merge"
                         else f"{action} takes no 'into'")
    anchor = _anchor(entry, codes)
    if action == "add" and anchor.pair:
        raise ValueError("add takes no 'pair': its actor and target go in 'set'")
    if action == "merge":
        _check_keys(entry["into"], _ANCHOR_KEYS, "'into'")
    into = _anchor(entry["into"], codes) if action == "merge" else None
    when = _text(entry, "when")
    try:
        datetime.fromisoformat(when.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"'when' {when!r} is not an ISO date or date-time") from None
    return Correction(id=ident, action=action, anchor=anchor, why=_text(entry, "why"), who=_text(entry, "who"),
                      when=when, scope=scope, changes=changes, into=into)


def _entries(text: str) -> list:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CorrectionsError(f"not valid YAML: {exc}") from None
    if data is None:
        return []
    if not isinstance(data, dict) or set(data) - {"corrections"}:
        raise CorrectionsError("expected a mapping with one key, 'corrections' (a list)")
    entries = data.get("corrections") or []
    if not isinstance(entries, list):
        raise CorrectionsError(f"'corrections' must be a list, got {type(entries).__name__}")
    return entries


def parse_corrections(text: str, codes: frozenset[str] | None = None) -> list[Correction]:
    """Every entry valid, ids unique, or a CorrectionsError listing each bad entry."""
    codes = codes or known_codes()
    corrections, problems, seen = [], [], {}
    for number, entry in enumerate(_entries(text), start=1):
        ident = entry.get("id") if isinstance(entry, dict) else None
        where = f"entry #{number}" + (f" (id {ident!r})" if ident is not None else "")
        try:
            correction = _correction(entry, codes)
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        if correction.id in seen:
            problems.append(f"{where}: id {correction.id!r} already used by entry #{seen[correction.id]}")
            continue
        seen[correction.id] = number
        corrections.append(correction)
    if problems:
        raise CorrectionsError("; ".join(problems))
    return corrections
