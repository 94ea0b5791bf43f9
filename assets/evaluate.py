"""`demarche evaluate`: run the pipeline over a folder of gold articles into a temporary
warehouse, read each article's incidents back from the public tables, and score them."""

import tempfile
from pathlib import Path

import yaml
from dagster import DagsterInstance

from assets.runner import run_pipeline
from pipeline.evaluation import Incident, Scores, load_gold, score
from pipeline.evaluation import predicted_by_article as article_incidents
from pipeline.storage import Warehouse

_ARTICLE_INCIDENTS = """
SELECT a.uri, m.incident_id, m.actor, m.target, m.event_date, m.date_precision, m.types, m.reported_only
FROM event_mentions m JOIN articles a USING (article_id)
"""


def predicted_by_article(store: Warehouse) -> dict[str, list[Incident]]:
    """Per article (gold id): its distinct incidents as it reports them, from the public tables."""
    return article_incidents(store.query_df(_ARTICLE_INCIDENTS, read_only=True).itertuples(index=False))


def evaluate_folder(gold_path: Path, articles_dir: Path, corrections: Path | None = None) -> tuple[Scores, list[str]]:
    """Scores of the extractor alone, or, with a corrections file, of the corrected record."""
    gold, problems = load_gold(gold_path)
    with tempfile.TemporaryDirectory(prefix="demarche-eval-") as tmp:
        sources = Path(tmp) / "sources.yaml"
        sources.write_text(yaml.safe_dump({"sources": [{"name": "evaluation", "kind": "folder", "path": str(articles_dir)}]}))
        none = Path(tmp) / "no-corrections.yaml"  # a missing file: no corrections
        with DagsterInstance.ephemeral() as instance:
            store = run_pipeline(sources, Path(tmp) / "eval.duckdb", instance=instance, log=lambda _: None,
                                 corrections_path=corrections or none)
            predicted = predicted_by_article(store)
    return score(gold, predicted), problems
