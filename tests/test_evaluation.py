import json

from pipeline.evaluation import Incident, load_gold, score
from pipeline.dates.partial_date import PartialDate


def test_bad_gold_lines_are_reported_not_fatal(tmp_path):
    gold = tmp_path / "gold.jsonl"
    good = {"id": "a1", "published": "2019-11-08", "relevant": True,
            "incidents": [{"actor": "AZE", "target": "RUS", "date": "2019-11-06", "types": ["summon"]}]}
    gold.write_text("\n".join([json.dumps(good), "{not json", json.dumps({"no_id": 1}),
                               json.dumps({"id": "x", "incidents": [{"actor": "A", "target": "B", "date": "20-1-x"}]}), ""]))
    articles, problems = load_gold(gold)
    assert [a.id for a in articles] == ["a1"]
    assert len(problems) == 3 and problems[0].startswith("line 2")


def test_scoring_matches_compatible_dates_and_counts_relevance():
    gold_file_articles, _ = load_gold_from([
        {"id": "a", "relevant": True, "incidents": [
            {"actor": "AZE", "target": "RUS", "date": "2019-11-06", "types": ["summon", "protest_note"]},
            {"actor": "AZE", "target": "USA", "date": "2019", "types": ["summon"]}]},
        {"id": "b", "relevant": False, "incidents": []},
        {"id": "c", "relevant": True, "incidents": [{"actor": "RUS", "target": "AZE", "date": "2023-07", "types": ["summon"]}]},
    ])
    predicted = {
        "a": [Incident("AZE", "RUS", PartialDate(2019, 11, 7), frozenset({"summon", "protest_note"})),
              Incident("AZE", "USA", PartialDate(2019, 10, 29), frozenset({"summon"}))],
        "b": [Incident("FRA", "AZE", PartialDate(2020), frozenset({"protest_statement"}))],
    }
    scores = score(gold_file_articles, predicted).as_dict()
    assert scores["matched"] == 2 and scores["predicted_incidents"] == 3 and scores["gold_incidents"] == 3
    assert scores["exact_date_accuracy"] == 0.0 and scores["type_accuracy"] == 1.0
    assert (scores["relevance_precision"], scores["relevance_recall"]) == (0.5, 0.5)


def load_gold_from(records, tmp=None):
    import tempfile
    from pathlib import Path
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "g.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in records))
        return load_gold(path)
