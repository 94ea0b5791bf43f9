"""Mentions as extracted -> the corrected record: mentions, incidents and their members,
plus what each correction did (applied) or why it could not be applied (unmatched).

Order, so that no correction depends on where it sits in the file:
  1. mention-level decisions (accept/reject/fix with scope 'mention', add, split), in file order;
  2. a first merge into incidents, on which every incident-level decision (scope 'incident',
     merge) finds the incident of its anchored mention;
  3. the final merge (a split mention is clustered apart from its old incident).
A correction is applied whole or not at all: an anchor that names no single mention, or a
change that would date an incident after its article or make a state protest to itself, is
listed in `unmatched` and changes nothing. A rejection anchored on a near miss (a sentence where
a trigger gave no mention) dismisses that possible miss: it leaves the review queue."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from pipeline.corrections.anchors import NO_MENTION, Located, Miss, locate, mentions_located, resolve, uri_matches
from pipeline.corrections.model import ANALYST_CONFIDENCE, ANALYST_RULE, Changes, Correction
from pipeline.extraction.model import EVENT_TYPES
from pipeline.incidents import merge_incidents
from pipeline.stages.common import MENTION_COLUMNS, stable_id

REFUSED = "refused"
APPLIED_COLUMNS = ["correction_id", "action", "scope", "mention_id", "article_id", "source", "uri", "change"]
UNMATCHED_COLUMNS = ["correction_id", "action", "scope", "problem", "detail", "article", "evidence", "pair",
                     "why", "who", "when"]
# What the corrected_mentions table holds: the mention columns plus the deciding correction.
CORRECTED_COLUMNS = [*MENTION_COLUMNS, "correction_id"]


@dataclass
class CorrectedRecord:
    mentions: pd.DataFrame  # CORRECTED_COLUMNS
    incidents: pd.DataFrame  # INCIDENT_COLUMNS + correction_ids
    members: pd.DataFrame  # mention_id, incident_id
    applied: pd.DataFrame  # APPLIED_COLUMNS: one row per (correction, mention) it decided
    unmatched: pd.DataFrame  # UNMATCHED_COLUMNS: one row per correction that changed nothing

    @property
    def corrected_rows(self) -> int:
        return int(self.mentions["correction_id"].notna().sum())


def _day(value) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def with_changes(row: dict, changes: Changes) -> dict:
    new = dict(row)
    for name in ("actor", "target", "reported_only", "diplomat", "cause"):
        if getattr(changes, name) is not None:
            new[name] = getattr(changes, name)
    if changes.types is not None:
        new["types"] = list(changes.types)
        new["event_type"] = next(t for t in EVENT_TYPES if t in changes.types)
    if changes.date is not None:
        new["event_date"], new["date_precision"] = changes.date.first_day, changes.date.precision
    return new


def refusal(rows: list[dict]) -> str | None:
    """Why these corrected rows cannot stand (the checks' promises), or None."""
    for row in rows:
        if row["actor"] == row["target"]:
            return f"actor equals target ({row['actor']}) in {row['uri']}: no state protests to itself"
        when, published = _day(row["event_date"]), _day(row.get("published"))
        if when is not None and published is not None and when > published:
            return f"date {when} is after the publication of {row['uri']} ({published})"
    return None


def _comparable(value):
    """None for a missing value (None, NaN), a list for a list-like (types come as arrays)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return list(value) if hasattr(value, "__len__") and not isinstance(value, str) else value


def _describe(before: dict, after: dict | None, action: str) -> str:
    if after is None:
        return "rejected"
    parts = ["split off"] if action == "split" else []
    for name in ("actor", "target", "types", "reported_only", "diplomat", "cause"):
        old, new = _comparable(before.get(name)), _comparable(after.get(name))
        if old != new:
            parts.append(f"{name} {old!r} -> {new!r}")
    old = (_day(before["event_date"]), before["date_precision"])
    new = (_day(after["event_date"]), after["date_precision"])
    if old != new:
        parts.append(f"date {old[0]} ({old[1]}) -> {new[0]} ({new[1]})")
    return "; ".join(parts) or "confirmed"


class _ArticleIndex(Mapping):
    """article_id -> its current rows, built once: rows are looked up by id, so a fixed row is
    seen as fixed and a rejected one not at all (never resurrected by a later correction)."""

    def __init__(self, rows: dict[str, dict]):
        self.rows = rows
        self.ids: dict[str, list[str]] = {}
        for row in rows.values():
            self.add(row)

    def add(self, row: dict) -> None:
        self.ids.setdefault(row["article_id"], []).append(row["mention_id"])

    def __getitem__(self, article_id: str) -> list[dict]:
        return [self.rows[m] for m in self.ids[article_id] if m in self.rows]

    def __iter__(self):
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)


class _Record:
    """The mention rows while corrections are applied to them."""

    def __init__(self, mentions: pd.DataFrame, articles: pd.DataFrame, near_misses: pd.DataFrame | None = None):
        self.rows: dict[str, dict] = {}
        self.near_misses: dict[str, list[dict]] = {}
        for near in ([] if near_misses is None else near_misses.to_dict("records")):
            self.near_misses.setdefault(near["article_id"], []).append(near)
        for row in mentions.to_dict("records"):
            row.update(correction_id=None, _corrections=[], split_group="", extracted_pair=(row["actor"], row["target"]))
            self.rows[row["mention_id"]] = row
        self.articles = articles.to_dict("records")
        self.index = _ArticleIndex(self.rows)
        self.applied: list[dict] = []
        self.unmatched: list[dict] = []

    def miss(self, correction: Correction, problem: str, detail: str) -> None:
        anchor = correction.anchor
        self.unmatched.append({
            "correction_id": correction.id, "action": correction.action, "scope": correction.scope,
            "problem": problem, "detail": detail, "article": anchor.article, "evidence": anchor.evidence,
            "pair": f"{anchor.pair[0]}>{anchor.pair[1]}" if anchor.pair else None,
            "why": correction.why, "who": correction.who, "when": correction.when})

    def dismiss(self, correction: Correction, places: list[Located], anchor_miss: Miss) -> None:
        """A rejection with no mention at its evidence: the near misses there, dismissed, else a miss."""
        dismissed = [(place, near) for place in places for near in self.near_misses.get(place.article["article_id"], [])
                     if near["char_start"] < place.end and place.start < near["char_end"]]
        if not dismissed:
            self.miss(correction, anchor_miss.problem, anchor_miss.detail)
        for place, near in dismissed:
            self.applied.append({
                "correction_id": correction.id, "action": correction.action, "scope": correction.scope,
                "mention_id": near["near_miss_id"], "article_id": near["article_id"], "source": near["source"],
                "uri": place.article["uri"], "change": f"dismissed a possible miss ({near['reason']})"})

    def commit(self, correction: Correction, updates: list[tuple[dict | None, dict | None]]) -> None:
        """Each (row or None for a new one, its corrected version or None to reject it),
        all of them, unless one cannot stand."""
        reason = refusal([after for _, after in updates if after is not None])
        if reason:
            self.miss(correction, REFUSED, reason)
            return
        for before, after in updates:
            row = before if before is not None else after
            change = _describe(before, after, correction.action) if before is not None else (
                f"added {after['actor']}>{after['target']} {_day(after['event_date'])} ({after['date_precision']})")
            self.applied.append({
                "correction_id": correction.id, "action": correction.action, "scope": correction.scope,
                "mention_id": row["mention_id"], "article_id": row["article_id"], "source": row["source"],
                "uri": row["uri"], "change": change})
            if after is None:
                self.rows.pop(before["mention_id"], None)
                continue
            earlier = before["_corrections"] if before is not None else []
            if before is None:
                self.index.add(after)
            after.update(correction_id=correction.id, _corrections=[*earlier, correction.id],
                         rule=ANALYST_RULE, confidence=ANALYST_CONFIDENCE)
            self.rows[after["mention_id"]] = after

    def frame(self) -> pd.DataFrame:
        columns = [*CORRECTED_COLUMNS, "uri", "text_hash", "published", "_corrections", "split_group"]
        return pd.DataFrame(list(self.rows.values()), columns=columns)


def _added_rows(correction: Correction, record: _Record) -> list[dict] | Miss:
    located = locate(correction.anchor, record.articles)
    if isinstance(located, Miss):
        return located
    changes = correction.changes
    rows = []
    for place in located:
        article = place.article
        row = {
            "mention_id": stable_id(article["article_id"], ANALYST_RULE, correction.id),
            "article_id": article["article_id"], "source": article["source"], "uri": article["uri"],
            "text_hash": article["text_hash"], "published": article["published"],
            "sentence": article["text"][place.start:place.end], "char_start": place.start, "char_end": place.end,
            "reported_only": False, "diplomat": None, "cause": None, "_corrections": [], "split_group": "",
        }
        rows.append(with_changes(row, changes))
    return rows


def _mention_level(correction: Correction, record: _Record) -> None:
    if correction.action == "add":
        added = _added_rows(correction, record)
        if isinstance(added, Miss):
            record.miss(correction, added.problem, added.detail)
        else:
            record.commit(correction, [(None, row) for row in added])
        return
    located = locate(correction.anchor, record.articles)
    hits = located if isinstance(located, Miss) else mentions_located(correction.anchor, located, record.index)
    if isinstance(hits, Miss):
        if correction.action == "reject" and hits.problem == NO_MENTION and correction.anchor.pair is None:
            record.dismiss(correction, located, hits)  # a possible miss's sentence, if one is there
        else:
            record.miss(correction, hits.problem, hits.detail)
        return
    updates = []
    for row in hits:
        after = None if correction.action == "reject" else with_changes(row, correction.changes)
        if after is not None and correction.action == "split":
            after["split_group"] = correction.id  # clustered apart from the rest of its old incident
        updates.append((row, after))
    record.commit(correction, updates)


def _incident_level(correction: Correction, record: _Record, incident_of: dict[str, str],
                    members_of: dict[str, list[str]], incidents: dict[str, dict]) -> None:
    index = record.index
    hits = resolve(correction.anchor, record.articles, index)
    if isinstance(hits, Miss):
        record.miss(correction, hits.problem, hits.detail)
        return
    chosen = {incident_of[row["mention_id"]] for row in hits}
    members = [record.rows[m] for incident in sorted(chosen) for m in members_of[incident] if m in record.rows]
    changes = correction.changes
    if correction.action == "merge":
        targets = resolve(correction.into, record.articles, index)
        if isinstance(targets, Miss):
            record.miss(correction, targets.problem, "into: " + targets.detail)
            return
        into = incidents[incident_of[targets[0]["mention_id"]]]
        when = into["event_date"]
        changes = Changes(actor=into["actor"], target=into["target"])
        updates = []
        for row in members:
            after = with_changes(row, changes)
            after["event_date"], after["date_precision"] = when, into["date_precision"]
            after["split_group"] = targets[0]["split_group"]  # clustered with the kept incident, split or not
            updates.append((row, after))
        record.commit(correction, updates)
        return
    record.commit(correction, [(row, None if correction.action == "reject" else with_changes(row, changes))
                               for row in members])


def _uncorrected(mentions: pd.DataFrame) -> CorrectedRecord:
    incidents, members = merge_incidents(mentions)
    incidents["correction_ids"] = [[] for _ in range(len(incidents))]
    return CorrectedRecord(
        mentions=mentions.assign(correction_id=None)[CORRECTED_COLUMNS], incidents=incidents, members=members,
        applied=pd.DataFrame(columns=APPLIED_COLUMNS), unmatched=pd.DataFrame(columns=UNMATCHED_COLUMNS))


def _in_reach(mentions: pd.DataFrame, articles: pd.DataFrame, corrections: list[Correction]) -> pd.Series:
    """Which mentions a correction can touch: those of every (actor, target) pair found in an
    article the corrections name (incidents never span pairs). Only these become Python rows."""
    keys = {c.anchor.article for c in corrections} | {c.into.article for c in corrections if c.into}
    named = {a for a, uri in zip(articles["article_id"], articles["uri"]) if any(uri_matches(uri, k) for k in keys)}
    in_named = mentions["article_id"].isin(named)
    pairs = set(zip(mentions.loc[in_named, "actor"], mentions.loc[in_named, "target"]))
    return pd.Series([pair in pairs for pair in zip(mentions["actor"], mentions["target"])], index=mentions.index,
                     dtype=bool)


def correct_and_merge(mentions: pd.DataFrame, articles: pd.DataFrame, corrections: list[Correction],
                      near_misses: pd.DataFrame | None = None) -> CorrectedRecord:
    """`mentions`: the extracted mentions with their article's uri, text_hash and published;
    `articles`: article_id, source, uri, published, text, text_hash of (at least) every
    article a correction names; `near_misses`: theirs (NEAR_MISS_COLUMNS), for rejections
    that dismiss a possible miss."""
    if not corrections:  # the common case, on every row: no per-row Python work beyond the merge
        return _uncorrected(mentions)
    reach = _in_reach(mentions, articles, corrections)
    record = _Record(mentions[reach], articles, near_misses)
    incident_level = [c for c in corrections if c.scope == "incident" or c.action == "merge"]
    for correction in corrections:
        if correction not in incident_level:
            _mention_level(correction, record)
    if incident_level:
        incidents, members = merge_incidents(record.frame())
        incident_of = dict(zip(members["mention_id"], members["incident_id"]))
        members_of: dict[str, list[str]] = {}
        for mention_id, incident_id in incident_of.items():
            members_of.setdefault(incident_id, []).append(mention_id)
        by_id = {row["incident_id"]: row for row in incidents.to_dict("records")}
        for correction in incident_level:
            _incident_level(correction, record, incident_of, members_of, by_id)
    touched = record.frame()
    untouched = mentions[~reach].assign(correction_id=None, split_group="")
    frame = pd.concat([untouched, touched[[c for c in touched.columns if c != "_corrections"]]], ignore_index=True)
    incidents, members = merge_incidents(frame)
    decided = members.merge(touched[["mention_id", "_corrections"]], on="mention_id")
    ids = decided.groupby("incident_id")["_corrections"].agg(lambda lists: sorted({c for l in lists for c in l}))
    incidents["correction_ids"] = incidents["incident_id"].map(ids).map(lambda v: v if isinstance(v, list) else [])
    return CorrectedRecord(
        mentions=frame[CORRECTED_COLUMNS],
        incidents=incidents,
        members=members,
        applied=pd.DataFrame(record.applied, columns=APPLIED_COLUMNS),
        unmatched=pd.DataFrame(record.unmatched, columns=UNMATCHED_COLUMNS),
    )
