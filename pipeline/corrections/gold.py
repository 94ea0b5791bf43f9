"""The articles analysts reviewed, as gold lines (DESIGN.md's gold format), so that every
review grows the gold set and `demarche evaluate` measures the extractor against it. Each
incident is written as the evaluation itself reads it from the corrected record (the
`predicted` incidents per article), so the corrected record scores 1.0 against its export."""

from __future__ import annotations

from pipeline.evaluation import Incident


def gold_lines(predicted: dict[str, list[Incident]], published: dict[str, str | None],
               details: dict[tuple[str, str, str], tuple[str | None, str | None]]) -> list[dict]:
    """`published`: gold id -> publication date (ISO) of every article to write;
    `predicted`: gold id -> its incidents; `details`: (gold id, actor, target) -> (diplomat,
    cause) as the article gives them. One line per gold id, sorted."""
    lines = []
    for stem in sorted(published):
        incidents = []
        for incident in predicted.get(stem, []):
            when = incident.date.iso() if incident.date else None
            diplomat, cause = details.get((stem, incident.actor, incident.target), (None, None))
            incidents.append({
                "key": f"{incident.actor}>{incident.target} {when or 'undated'}", "types": sorted(incident.types),
                "actor": incident.actor, "target": incident.target, "date": when,
                "diplomat": diplomat, "cause": cause or "", "reported_only": incident.reported_only,
            })
        incidents.sort(key=lambda i: i["key"])
        lines.append({"id": stem, "published": published[stem], "relevant": bool(incidents), "incidents": incidents})
    return lines
