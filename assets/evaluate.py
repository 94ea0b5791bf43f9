"""`demarche evaluate`: run the pipeline over a folder of gold articles into a temporary
warehouse, read each article's incidents back from the public tables, and score them."""

import tempfile
from collections import Counter
from pathlib import Path

import pandas as pd
import yaml
from dagster import DagsterInstance

from assets.runner import run_pipeline
from pipeline.evaluation import Incident, PossibleMiss, Scores, load_gold, score
from pipeline.evidence import evidence_sentences, load_evidence
from pipeline.dates.partial_date import PartialDate
from pipeline.ingest.folder import uri_path
from pipeline.storage import Warehouse

PRECISION_RANK = {"day": 0, "month": 1, "year": 2}

_ARTICLE_INCIDENTS = """
SELECT a.uri, m.incident_id, m.actor, m.target, m.event_date, m.date_precision, m.types, m.reported_only,
       m.sentence, m.rule
FROM event_mentions m JOIN articles a USING (article_id)
"""


def _stem(uri: str) -> str:
    return uri_path(uri).name.split(".")[0]


def predicted_by_article(store: Warehouse) -> dict[str, list[Incident]]:
    """Per article: its distinct incidents, each with the article's most precise date for
    it (the most frequent one among equals) and the union of its types in that article."""
    grouped: dict[tuple[str, str], list] = {}
    for row in store.query_df(_ARTICLE_INCIDENTS, read_only=True).itertuples(index=False):
        grouped.setdefault((_stem(row.uri), row.incident_id), []).append(row)
    predicted: dict[str, list[Incident]] = {}
    for (stem, _), mentions in grouped.items():
        dated = [m for m in mentions if m.event_date is not None and not pd.isna(m.event_date)]
        when = None
        if dated:
            best_rank = min(PRECISION_RANK[m.date_precision] for m in dated)
            counts = Counter(PartialDate.of(pd.Timestamp(m.event_date).date(), m.date_precision)
                             for m in dated if PRECISION_RANK[m.date_precision] == best_rank)
            when = counts.most_common(1)[0][0]
        first = mentions[0]
        predicted.setdefault(stem, []).append(Incident(
            first.actor, first.target, when, frozenset(t for m in mentions for t in m.types),
            all(m.reported_only for m in mentions), evidence=first.sentence or "", rule=first.rule or "",
            sentences=tuple(m.sentence for m in mentions if m.sentence)))
    return predicted


_NEAR_MISSES = "SELECT a.uri, n.states, n.sentence, n.reason FROM near_misses n JOIN articles a USING (article_id)"


def near_misses_by_article(store: Warehouse) -> dict[str, list[PossibleMiss]]:
    """Per article: its possible-miss sentences, with why each was dropped and the states it names."""
    found: dict[str, list[PossibleMiss]] = {}
    for row in store.query_df(_NEAR_MISSES, read_only=True).itertuples(index=False):
        found.setdefault(_stem(row.uri), []).append(PossibleMiss(frozenset(row.states), row.sentence, row.reason))
    return found


def _predict(gold_path: Path, articles_dir: Path, corrections: Path | None):
    """(gold articles, predicted incidents per article, possible misses per article, unusable
    gold lines): one pipeline run."""
    gold, problems = load_gold(gold_path)
    with tempfile.TemporaryDirectory(prefix="demarche-eval-") as tmp:
        sources = Path(tmp) / "sources.yaml"
        sources.write_text(yaml.safe_dump({"sources": [{"name": "evaluation", "kind": "folder", "path": str(articles_dir)}]}))
        none = Path(tmp) / "no-corrections.yaml"  # a missing file: no corrections
        with DagsterInstance.ephemeral() as instance:
            store = run_pipeline(sources, Path(tmp) / "eval.duckdb", instance=instance, log=lambda _: None,
                                 corrections_path=corrections or none)
            predicted, near = predicted_by_article(store), near_misses_by_article(store)
    return gold, predicted, near, problems


def _evidence(evidence_path: Path | None, articles_dir: Path) -> tuple[dict[tuple[str, str], list[str]], list[str]]:
    """The gold's evidence sentences per (article, key), read from the articles' files."""
    if evidence_path is None:
        return {}, []
    lines, problems = load_evidence(evidence_path)
    sentences, outside = evidence_sentences(lines, articles_dir)
    return sentences, [f"evidence file {evidence_path}: skipped {problem}" for problem in problems + outside]


def evaluate_folder(gold_path: Path, articles_dir: Path, corrections: Path | None = None,
                    evidence_path: Path | None = None) -> tuple[Scores, list[str]]:
    """Scores of the extractor alone, or, with a corrections file, of the corrected record;
    with an evidence file, also whether each match came from a sentence that tells it."""
    gold, predicted, near, problems = _predict(gold_path, articles_dir, corrections)
    evidence, evidence_problems = _evidence(evidence_path, articles_dir)
    return score(gold, predicted, near, evidence), _gold_problems(gold_path, problems) + evidence_problems


def evaluate_by_publication(gold_path: Path, articles_dir: Path, corrections: Path | None = None,
                            evidence_path: Path | None = None) -> tuple[dict[str, Scores], list[str]]:
    """Scores of all articles, of those whose gold gives a publication date and of those
    without one, from one run. Undated pages carry gold dates the text may not give."""
    gold, predicted, near, problems = _predict(gold_path, articles_dir, corrections)
    evidence, evidence_problems = _evidence(evidence_path, articles_dir)
    subsets = {"all": gold, "dated": [g for g in gold if g.dated], "undated": [g for g in gold if not g.dated]}
    return {name: score(articles, predicted, near, evidence) for name, articles in subsets.items()}, \
        _gold_problems(gold_path, problems) + evidence_problems


def _gold_problems(gold_path: Path, problems: list[str]) -> list[str]:
    """Each unusable gold line's message, saying which file it is in (as the evidence file's do)."""
    return [f"gold file {gold_path}: skipped {problem}" for problem in problems]


def agreement(gold_path: Path, second_path: Path) -> tuple[Scores, list[str]]:
    """How far a second annotator's lines agree with the gold, scored as if they were the
    extractor's, over the articles both annotated: the ceiling a human reaches on the set."""
    gold, problems = load_gold(gold_path)
    second, second_problems = load_gold(second_path)
    by_id = {article.id: article for article in second}
    shared = [article for article in gold if article.id in by_id]
    return score(shared, {article.id: by_id[article.id].incidents for article in shared}), problems + second_problems
