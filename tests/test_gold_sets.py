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
    assert not failing, f"below the bar: {failing}\n" + "\n".join(error.line() for error in scores.errors)
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


# The held-out set (data/holdout, written after the extractor and never tuned against):
# its figures are the honest estimate. Floors a little under the first measurement
# (F1 0.593, dates 0.833, relevance 0.919 on 2026-11-22) catch regressions; raise them as
# the extractor improves, never tune the extractor on these articles' text.
HOLDOUT_FLOOR = {"incident_f1": 0.55, "exact_date_accuracy": 0.75, "relevance_f1": 0.88}


def test_held_out_set_does_not_regress():
    scores, problems = evaluate_folder(REPO / "data" / "gold" / "holdout_gold.jsonl", REPO / "data" / "holdout")
    assert not problems
    result = scores.as_dict()
    assert result["articles"] == 24
    failing = {k: result[k] for k, floor in HOLDOUT_FLOOR.items() if result[k] < floor}
    assert not failing, f"below the floor: {failing}\n" + "\n".join(error.line() for error in scores.errors)
