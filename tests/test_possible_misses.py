"""Possible misses: the sentences where a trigger fired and no incident came of it are kept
(table near_misses), queued for review, added as incidents or dismissed by an analyst, kept
across unchanged re-runs, and counted by the evaluation against the missed gold incidents."""

from __future__ import annotations

import json
from datetime import date

import pytest

from assets.evaluate import evaluate_folder
from pipeline.extraction import extract_with_near_misses
from pipeline.extraction.model import NEAR_MISS_REASONS
from tests.conftest import analyst_desk, query_rows

# Our own sentences, one per way a trigger comes to nothing.
STORY = """Baku, 7 June 2021

Azerbaijan's Foreign Ministry summoned the Iranian ambassador on Monday over remarks by an Iranian official.
Azerbaijan will summon the French ambassador if the visit to Khankendi goes ahead, a ministry official said.
Protesters gathered outside the French embassy in Baku to protest against the visit.
Georgia never protested to Armenia over the border post.
The spokesman said nobody would be summoned before the talks.
"""
PLANNED = "Azerbaijan will summon the French ambassador if the visit to Khankendi goes ahead"
STREET = "Protesters gathered outside the French embassy in Baku"
NEGATED = "Georgia never protested to Armenia over the border post."


def _near_misses(text: str, published: date | None = date(2021, 6, 7)):
    (extraction,) = extract_with_near_misses([(text, published, None, None)])
    return extraction


def test_each_trigger_that_came_to_nothing_is_one_near_miss_with_its_reason():
    extraction = _near_misses(STORY)
    assert [(m.actor, m.target) for m in extraction.mentions] == [("AZE", "IRN")]
    found = {n.sentence[:40]: (n.reason, n.rule, n.states) for n in extraction.near_misses}
    assert found == {
        PLANNED[:40]: ("unreal", "summon_active", ("AZE", "FRA", "XKB")),
        STREET[:40]: ("guard_word", "statement_protest", ("AZE", "FRA")),
        NEGATED[:40]: ("unreal", "statement_protest", ("ARM", "GEO")),
    }
    # In text order, with offsets into the text; the sentence with a mention and the one that
    # names no state are not near misses.
    assert {n.reason for n in extraction.near_misses} <= set(NEAR_MISS_REASONS)
    starts = [n.char_start for n in extraction.near_misses]
    assert starts == sorted(starts)
    assert all(STORY[n.char_start:n.char_end] == n.sentence for n in extraction.near_misses)


def test_an_article_without_a_trigger_has_no_near_miss():
    assert _near_misses("Azerbaijan and France signed a trade agreement on Monday.\n").near_misses == []


@pytest.fixture
def desk(tmp_path, instance, monkeypatch):
    """A folder source with the story, the warehouse and the review command line."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "baku_story.txt").write_text(STORY, encoding="utf-8")
    return analyst_desk(tmp_path, instance, monkeypatch, corpus)


def _queued(db) -> dict[str, str]:
    return {sentence[:40]: mention_id for mention_id, sentence in query_rows(
        db, "SELECT mention_id, sentence FROM review_queue WHERE reason = 'possible_miss'")}


def test_possible_misses_are_queued_added_or_dismissed_and_kept_across_runs(desk, capsys):
    db = desk["db"]
    desk["run"]()
    assert query_rows(db, "SELECT count(*) FROM near_misses") == [(3,)]
    queued = _queued(db)
    assert set(queued) == {PLANNED[:40], STREET[:40], NEGATED[:40]}
    # Two states named before one: the queue shows the likelier misses first.
    order = [r[0] for r in query_rows(db, "SELECT n_states FROM review_queue WHERE reason = 'possible_miss'")]
    assert order == sorted(order, reverse=True)

    # Unchanged text and extractor: the near misses are kept, not lost, on the next run.
    desk["run"]()
    assert query_rows(db, "SELECT count(*) FROM near_misses") == [(3,)]

    # Only `add` and `reject` apply to a possible miss; a mention's decision is a clear error.
    assert desk["review"]("fix", queued[NEGATED[:40]], "--actor", "GEO", "--why", "x") == 1
    assert "is a possible miss, not a mention" in capsys.readouterr().err

    # The analyst decides: the negated protest is no incident, the street protest neither; the
    # planned summons is recorded as a (hypothetical here, for the test) incident.
    assert desk["review"]("reject", queued[NEGATED[:40]], "--why", "negated: no protest was made") == 0
    assert "reject (dismiss) possible miss" in capsys.readouterr().out
    assert desk["review"]("reject", queued[STREET[:40]], "--why", "a street protest") == 0
    assert desk["review"]("add", queued[PLANNED[:40]], "--actor", "AZE", "--target", "FRA", "--date", "2021-06",
                          "--types", "summon", "--why", "the summons took place, other reports say") == 0
    desk["run"]()
    assert _queued(db) == {}
    assert query_rows(db, "SELECT change FROM corrections_applied WHERE action = 'reject' ORDER BY change") == [
        ("dismissed a possible miss (guard_word)",), ("dismissed a possible miss (unreal)",)]
    assert query_rows(db, "SELECT count(*) FROM corrections_unmatched") == [(0,)]
    assert ("AZE", "FRA") in query_rows(db, "SELECT actor, target FROM incidents")


def test_a_dismissal_whose_sentence_is_gone_is_listed_as_unmatched(desk):
    db = desk["db"]
    desk["run"]()
    assert desk["review"]("reject", _queued(db)[NEGATED[:40]], "--why", "negated") == 0
    (desk["corpus"] / "baku_story.txt").write_text(STORY.replace(NEGATED, ""), encoding="utf-8")
    desk["run"]()
    assert query_rows(db, "SELECT action, problem FROM corrections_unmatched") == [("reject", "evidence_not_found")]


def test_the_evaluation_counts_missed_incidents_a_possible_miss_points_at(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "story.txt").write_text(STORY, encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    incidents = [{"key": key, "types": types, "actor": key[:3], "target": key[4:7], "date": key[8:], "cause": "c"}
                 for key, types in [("AZE>IRN 2021-06-07", ["summon"]), ("AZE>FRA 2021-06-07", ["summon"]),
                                    ("RUS>UKR 2021-06-07", ["protest_statement"])]]
    gold.write_text(json.dumps({"id": "story", "published": "2021-06-07", "relevant": True,
                                "incidents": incidents}) + "\n", encoding="utf-8")
    scores, _ = evaluate_folder(gold, folder)
    # Two missed: AZE>FRA sits in a possible miss, RUS>UKR in none.
    assert (scores.matched, scores.missed, scores.missed_flagged, scores.possible_miss_rows) == (1, 2, 1, 3)
