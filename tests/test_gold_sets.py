"""Extraction quality against the gold sets, through the whole pipeline and the public
tables, held to the bar of the extraction issue."""

from __future__ import annotations

import pytest

from assets.evaluate import evaluate_folder
from tests.conftest import REPO, SHARED

BAR = {"incident_f1": 0.90, "exact_date_accuracy": 0.90, "relevance_f1": 0.95}


def _check(gold, articles):
    scores, problems = evaluate_folder(gold, articles)
    assert not problems
    result = scores.as_dict()
    failing = {k: result[k] for k, bar in BAR.items() if result[k] < bar}
    assert not failing, f"below the bar: {failing}\n" + "\n".join(scores.errors)
    return result


def test_seed_articles_meet_the_bar():
    gold, seeds = SHARED / "seeds_gold.jsonl", SHARED / "seeds"
    if not gold.exists() or not seeds.is_dir():
        pytest.skip(f"no seed articles at {seeds} (../shared is not beside this checkout)")
    result = _check(gold, seeds)
    assert result["articles"] == 5


def test_team_gold_set_meets_the_bar():
    result = _check(REPO / "data" / "gold" / "samples_gold.jsonl", REPO / "data" / "samples")
    assert result["articles"] >= 60
