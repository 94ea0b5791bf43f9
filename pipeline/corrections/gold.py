"""The articles analysts reviewed, as gold lines (DESIGN.md's gold format), so that every
review grows the gold set and `demarche evaluate` measures the extractor against it. An
incident is written as its article reports it (pipeline.evaluation.article_incident), the
same view evaluation scores, so the corrected record scores 1.0 against its own export."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from pipeline.evaluation import article_incident, gold_id, mentions_by_article_incident


def _first_text(values) -> str | None:
    found = [v for v in values if isinstance(v, str) and v]
    return Counter(found).most_common(1)[0][0] if found else None


def gold_lines(mentions: pd.DataFrame, articles: pd.DataFrame) -> list[dict]:
    """`articles` (article_id, uri, published): the reviewed articles; `mentions`: their
    corrected mentions (uri, incident_id, actor, target, event_date, date_precision, types,
    reported_only, diplomat, cause). One line per gold id (copies of an article share it)."""
    by_stem: dict[str, list[list]] = {}
    for (stem, _), rows in mentions_by_article_incident(mentions.itertuples(index=False)).items():
        by_stem.setdefault(stem, []).append(rows)
    lines: dict[str, dict] = {}
    for article in articles.sort_values("uri").itertuples(index=False):
        stem = gold_id(article.uri)
        if stem in lines:
            continue
        published = None if pd.isna(article.published) else pd.Timestamp(article.published).date().isoformat()
        incidents = []
        for rows in by_stem.get(stem, []):
            incident = article_incident(rows)
            when = incident.date.iso() if incident.date else None
            incidents.append({
                "key": f"{incident.actor}>{incident.target} {when or 'undated'}", "types": sorted(incident.types),
                "actor": incident.actor, "target": incident.target, "date": when,
                "diplomat": _first_text(r.diplomat for r in rows), "cause": _first_text(r.cause for r in rows) or "",
                "reported_only": incident.reported_only,
            })
        incidents.sort(key=lambda i: i["key"])
        lines[stem] = {"id": stem, "published": published, "relevant": bool(incidents), "incidents": incidents}
    return [lines[stem] for stem in sorted(lines)]
