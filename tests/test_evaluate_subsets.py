"""`demarche evaluate --by-publication`: one pipeline run, scores for all articles, for those
whose gold gives a publication date and for those without one."""

import json

from assets.cli import main

DATED = """Lakeland summons envoy of Hillmark over border shooting

Published: 2021-03-10

The foreign ministry of Estonia on Wednesday summoned the ambassador of Latvia over a shooting
at the border crossing, the ministry said in a statement.
"""
UNDATED = """Envoy called in

The Ministry of Foreign Affairs of Peru summoned the ambassador of Chile on Monday to protest
against remarks made by a Chilean minister about the maritime border.
"""


def test_scores_split_by_whether_the_gold_has_a_publication_date(tmp_path, capsys):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "dated.txt").write_text(DATED, encoding="utf-8")
    (articles / "undated.txt").write_text(UNDATED, encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    lines = [
        {"id": "dated", "published": "2021-03-10", "relevant": True, "incidents": [
            {"key": "EST>LVA 2021-03-10", "types": ["summon"], "actor": "EST", "target": "LVA", "date": "2021-03-10",
             "diplomat": None, "cause": "border shooting", "reported_only": False}]},
        # the annotator knew the year from elsewhere: the text cannot give it
        {"id": "undated", "published": None, "relevant": True, "incidents": [
            {"key": "PER>CHL 2019-05-06", "types": ["summon"], "actor": "PER", "target": "CHL", "date": "2019-05-06",
             "diplomat": None, "cause": "remarks", "reported_only": False}]},
    ]
    gold.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")

    assert main(["evaluate", "--gold", str(gold), "--articles", str(articles), "--by-publication", "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)

    assert [scores[name]["articles"] for name in ("all", "dated", "undated")] == [2, 1, 1]
    assert scores["dated"]["incident_f1"] == 1.0
    assert scores["undated"]["matched"] == 0  # found with no date, or not found: never the gold's day
    assert scores["all"]["gold_incidents"] == scores["dated"]["gold_incidents"] + scores["undated"]["gold_incidents"]
