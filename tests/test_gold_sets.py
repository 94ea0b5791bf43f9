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


def test_seed_articles_are_all_right():
    gold, seeds = SHARED / "seeds_gold.jsonl", SHARED / "seeds"
    if not gold.exists() or not seeds.is_dir():
        pytest.skip(f"no seed articles at {seeds} (../shared is not beside this checkout)")
    scores, problems = evaluate_folder(gold, seeds)
    assert not problems
    result = scores.as_dict()
    assert result["articles"] == 5
    perfect = {k: result[k] for k in BAR}
    assert perfect == {k: 1.0 for k in BAR}, "\n".join(error.line() for error in scores.errors)


def test_team_gold_set_meets_the_bar():
    result = _check(REPO / "data" / "gold" / "samples_gold.jsonl", REPO / "data" / "samples")
    assert result["articles"] >= 60


# The held-out set (data/holdout, written after the extractor and never tuned against):
# its figures are the honest estimate. Floors a little under the first measurement
# (F1 0.593, dates 0.833, relevance 0.919 on 2026-11-22) catch regressions; raise them as
# the extractor improves, never tune the extractor on these articles' text.
# Syntax-aware roles (2026-11-29): F1 0.779, dates 0.867, relevance 0.971. Session 4: F1 0.864,
# dates 0.829, relevance 0.971.
HOLDOUT_FLOOR = {"incident_f1": 0.82, "exact_date_accuracy": 0.80, "relevance_f1": 0.95}


def test_held_out_set_does_not_regress():
    scores, problems = evaluate_folder(REPO / "data" / "gold" / "holdout_gold.jsonl", REPO / "data" / "holdout")
    assert not problems
    result = scores.as_dict()
    assert result["articles"] == 24
    failing = {k: result[k] for k, floor in HOLDOUT_FLOOR.items() if result[k] < floor}
    assert not failing, f"below the floor: {failing}\n" + "\n".join(error.line() for error in scores.errors)


# The real-news splits (data/gold/real_{dev,test}.jsonl, real pages from many outlets). Their
# page texts are third-party and never committed: they live in the git-ignored
# data/real_cache/{dev,test}/ (README, "The real-news gold set", says how to rebuild it).
# Floors a little under the figures measured when they were set. Session 4 (2026-11-29):
# dev, 240 articles, tuned on: F1 0.656, exact dates 0.881, relevance 0.943. Test, 116
# articles, frozen and never tuned on: F1 0.480, exact dates 0.778, relevance 0.841. Session 5
# added 71 fresh dev articles (half of them undated), which took dev to F1 0.613; at its end dev
# (311) gave F1 0.660, exact dates 0.869, relevance 0.956, and test F1 0.496, exact dates 0.768,
# relevance 0.855. Session 6 added 316 fresh dev articles in four rounds (dev, 627: F1 0.601 at the
# session's start, 0.624 at its end; exact dates 0.843, relevance 0.928); test stayed at F1 0.496,
# exact dates 0.772, relevance 0.863. Session 7 added 225 fresh dev articles in three rounds (dev,
# 852: F1 0.595 with the session's starting code, 0.608 at its end; exact dates 0.822, relevance
# 0.908); test F1 0.513, exact dates 0.767, relevance 0.865. Session 8 added 217 fresh dev articles
# in three rounds (dev, 1069: F1 0.600 with the session's starting code, 0.629 at its end; exact
# dates 0.800, relevance 0.887); test F1 0.511, exact dates 0.783, relevance 0.865. Session 9 added
# 237 fresh dev articles in four rounds (dev, 1306: F1 0.621 with the session's starting code, 0.633
# at its end; exact dates 0.795, relevance 0.879); test F1 0.513, exact dates 0.800, relevance
# 0.865. Session 10 added 131 fresh dev articles in two rounds (dev, 1437: F1 0.637 with the
# session's starting code, 0.641 at its end; exact dates 0.801, relevance 0.883); test F1 0.513,
# exact dates 0.800, relevance 0.865. Session 11 changed no extraction rule and added 71 fresh
# dev articles in one round (dev, 1508: F1 0.632, exact dates 0.805, relevance 0.874). Session 12
# added 135 fresh dev articles in two rounds (dev, 1643: F1 0.630 with the session's starting code,
# 0.635 at its end; exact dates 0.807, relevance 0.869, hence the dev relevance floor 0.86); test
# F1 0.521, exact dates 0.803, relevance 0.865. Raise them as the extractor improves; never tune
# the extractor on the test split.
REAL_FLOORS = {
    "dev": {"incident_f1": 0.62, "exact_date_accuracy": 0.78, "relevance_f1": 0.86},
    "test": {"incident_f1": 0.49, "exact_date_accuracy": 0.76, "relevance_f1": 0.85},
}


@pytest.mark.parametrize("split", sorted(REAL_FLOORS))
def test_real_news_splits_do_not_regress(split):
    gold, texts = REPO / "data" / "gold" / f"real_{split}.jsonl", REPO / "data" / "real_cache" / split
    if not gold.exists():
        pytest.skip(f"no real {split} split at {gold}")
    if not texts.is_dir():
        pytest.skip(f"the page texts of {gold.name} are not cached at {texts} (third-party text, "
                    "never committed): rebuild the cache as the README says to run this test")
    scores, problems = evaluate_folder(gold, texts)
    assert not problems
    result = scores.as_dict()
    failing = {k: result[k] for k, floor in REAL_FLOORS[split].items() if result[k] < floor}
    assert not failing, f"below the floor: {failing}\n" + "\n".join(error.line() for error in scores.errors)
