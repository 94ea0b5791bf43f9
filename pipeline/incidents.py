"""Mentions -> incidents: one row per real-world (actor, target, date) incident, merged
across articles and sources.

Merge rule, per (actor, target) pair:
  1. day-precise mentions form clusters: a mention joins a cluster when its day is at most
     DAY_TOLERANCE days from the cluster's first day (outlets date the same summons a day
     apart: local time, "yesterday" written after midnight), unless the cluster holds a
     mention of the same article on another day (one text giving two days for one pair
     tells of two incidents: a statement on Monday, a note on Tuesday);
  2. a month-precise mention joins the day cluster of that month (the largest if several),
     else the month cluster of that month;
  3. a year-precise mention joins the only cluster of that year, else a year cluster;
     in 2 and 3, a background mention never joins a cluster holding its own article's news
     of the pair ("Previously, X accused Y" beside "On Wednesday X protested to Y");
  4. a mention with no date at all forms an 'undated' incident for its pair.
Mentions an analyst split off (column split_group, pipeline/corrections/) are clustered apart.
An incident's date is its most reported day (ties: the earliest), else its month or year.
Its id reads "AZE>RUS 2019-11-06" and is stable across re-runs while the evidence holds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from pipeline.dates.partial_date import PartialDate

DAY_TOLERANCE = timedelta(days=2)

INCIDENT_COLUMNS = ["incident_id", "actor", "target", "event_date", "date_precision", "year", "types",
                    "n_mentions", "n_articles", "n_sources", "reported_only", "diplomat", "cause",
                    "evidence", "evidence_uri", "confidence", "first_published"]


@dataclass
class _Cluster:
    date: PartialDate | None
    rows: list = field(default_factory=list)

    def canonical_date(self) -> PartialDate | None:
        days = [r["_date"] for r in self.rows if r["_date"] is not None and r["_date"].precision == "day"]
        # Never date an incident after an article that reports it.
        published = [_day(r.get("published")) for r in self.rows]
        earliest = min((p for p in published if p is not None), default=None)
        if earliest is not None:
            days = [d for d in days if d.first_day <= earliest] or [PartialDate.of(earliest)] if days else days
        if days:
            counts = Counter(days)
            best = max(counts.values())
            return min(d for d, c in counts.items() if c == best)
        return self.date


def _day(value) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _partial(row) -> PartialDate | None:
    value = _day(row["event_date"])
    return PartialDate.of(value, row["date_precision"] or "day") if value else None


def _cluster_pair(rows: list[dict]) -> list[_Cluster]:
    by_precision: dict[str, list[dict]] = {"day": [], "month": [], "year": [], None: []}
    for row in rows:
        by_precision[row["_date"].precision if row["_date"] else None].append(row)
    clusters: list[_Cluster] = []
    for row in sorted(by_precision["day"], key=lambda r: r["_date"]):
        last = clusters[-1] if clusters else None
        if last and row["_date"].first_day - last.date.first_day <= DAY_TOLERANCE \
                and not _same_article_other_day(last, row):
            last.rows.append(row)
        else:
            clusters.append(_Cluster(row["_date"], [row]))
    for precision in ("month", "year"):
        for row in by_precision[precision]:
            holders = [c for c in clusters if c.date is not None and row["_date"].contains(c.date)
                       and not _an_aside_beside_the_news(c, row)]
            if precision == "year" and len(holders) > 1:
                holders = [c for c in holders if c.date == row["_date"]]
            if holders:
                max(holders, key=lambda c: (len(c.rows), -c.date.first_day.toordinal())).rows.append(row)
            else:
                clusters.append(_Cluster(row["_date"], [row]))
    if by_precision[None]:
        clusters.append(_Cluster(None, list(by_precision[None])))
    return clusters


def _an_aside_beside_the_news(cluster: _Cluster, row: dict) -> bool:
    """A background mention dated only to the month or year ("Previously, X accused Y") beside
    the same article's news of that pair: the text tells of an earlier incident, not of this one."""
    return row["reported_only"] and any(r["text_hash"] == row["text_hash"] and not r["reported_only"] for r in cluster.rows)


def _same_article_other_day(cluster: _Cluster, row: dict) -> bool:
    return any(r["text_hash"] == row["text_hash"] and r["_date"] != row["_date"] for r in cluster.rows)


def _most_common(values) -> str | None:
    values = [v for v in values if isinstance(v, str) and v]
    return Counter(values).most_common(1)[0][0] if values else None


def merge_incidents(mentions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """mentions needs the mention columns plus the article's uri, text_hash and published.
    Returns (incidents, incident_members)."""
    incidents, members = [], []
    records = mentions.to_dict("records")
    for row in records:
        row["_date"] = _partial(row)
    by_pair: dict[tuple[str, str, str], list[dict]] = {}
    for row in records:
        by_pair.setdefault((row["actor"], row["target"], row.get("split_group") or ""), []).append(row)
    used_ids: set[str] = set()
    for (actor, target, _split), rows in sorted(by_pair.items()):
        for cluster in _cluster_pair(rows):
            when = cluster.canonical_date()
            incident_id = f"{actor}>{target} {when.iso() if when else 'undated'}"
            suffix = 2
            while incident_id in used_ids:  # cannot happen by construction; never collide anyway
                incident_id = f"{actor}>{target} {when.iso() if when else 'undated'} #{suffix}"
                suffix += 1
            used_ids.add(incident_id)
            best = max(cluster.rows, key=lambda r: (not r["reported_only"], r["confidence"], -r["char_start"]))
            published = [d for d in (_day(r.get("published")) for r in cluster.rows) if d is not None]
            types = sorted({t for r in cluster.rows for t in r["types"]})
            incidents.append({
                "incident_id": incident_id, "actor": actor, "target": target,
                "event_date": when.first_day if when else None,
                "date_precision": when.precision if when else None,
                "year": when.year if when else None,
                "types": types,
                "n_mentions": len(cluster.rows),
                "n_articles": len({r["text_hash"] for r in cluster.rows}),
                "n_sources": len({r["source"] for r in cluster.rows}),
                "reported_only": all(r["reported_only"] for r in cluster.rows),
                "diplomat": _most_common(r["diplomat"] for r in cluster.rows),
                "cause": best["cause"], "evidence": best["sentence"], "evidence_uri": best["uri"],
                "confidence": round(1 - _product(1 - r["confidence"] for r in cluster.rows), 4),
                "first_published": min(published) if published else None,
            })
            members.extend({"mention_id": r["mention_id"], "incident_id": incident_id} for r in cluster.rows)
    incidents_df = pd.DataFrame(incidents, columns=INCIDENT_COLUMNS)
    incidents_df["year"] = incidents_df["year"].astype("Int64")
    for column in ("event_date", "first_published"):
        incidents_df[column] = pd.to_datetime(incidents_df[column]).dt.date
    return incidents_df, pd.DataFrame(members, columns=["mention_id", "incident_id"])


def _product(values) -> float:
    result = 1.0
    for value in values:
        result *= value
    return result
