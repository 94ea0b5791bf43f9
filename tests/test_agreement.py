"""`demarche agreement`: a second annotator's lines scored against the gold, over the
articles both annotated (the agreement two people reach on the same texts)."""

import json

from assets.cli import main


def _line(article_id, *incidents, published="2021-03-10"):
    return {"id": article_id, "published": published, "relevant": bool(incidents), "incidents": [
        {"key": f"{actor}>{target} {when}", "types": ["summon"], "actor": actor, "target": target, "date": when,
         "diplomat": None, "cause": "a border shooting", "reported_only": False} for actor, target, when in incidents]}


def _write(path, lines):
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return str(path)


def test_agreement_scores_only_the_articles_both_annotated(tmp_path, capsys):
    gold = _write(tmp_path / "gold.jsonl", [
        _line("a", ("EST", "LVA", "2021-03-10"), ("LVA", "EST", "2021-03-11")),
        _line("b", ("PER", "CHL", "2021-03-09")),
        _line("only_in_gold", ("FRA", "ITA", "2021-03-01")),  # not annotated twice: not scored
    ])
    second = _write(tmp_path / "second.jsonl", [
        _line("a", ("EST", "LVA", "2021-03-10")),  # the reply the gold has is missed
        _line("b", ("PER", "CHL", "2021-03-09"), ("PER", "BOL", "2021-03-09")),  # one the gold does not have
    ])

    assert main(["agreement", "--gold", gold, "--second", second, "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)

    assert (scores["articles"], scores["gold_incidents"], scores["predicted_incidents"], scores["matched"]) == (2, 3, 3, 2)
    assert scores["incident_precision"] == scores["incident_recall"] == round(2 / 3, 4)


def test_agreement_names_a_missing_file(tmp_path, capsys):
    gold = _write(tmp_path / "gold.jsonl", [_line("a")])
    assert main(["agreement", "--gold", gold, "--second", str(tmp_path / "nowhere.jsonl")]) == 2
    assert "--second" in capsys.readouterr().err
