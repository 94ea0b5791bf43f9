"""Gold evidence spans: `demarche evaluate --evidence` tells a match found in the sentence that
states the incident from one found elsewhere, and scripts/real_gold.py evidence checks the
lines before they join the gold."""

import json

import pytest

from assets.cli import main
from pipeline.evidence import EvidenceFileError, parse_evidence, same_sentence
from tests.test_real_gold_script import line, tool, url_in, write  # noqa: F401 - tool is a fixture

TEXT = """Published: 2021-03-10

The foreign ministry of Estonia on Wednesday summoned the ambassador of Latvia over a shooting at the border crossing.
Trade between the two countries grew last year, officials said.
"""
INCIDENT = {"key": "EST>LVA 2021-03-10", "types": ["summon"], "actor": "EST", "target": "LVA", "date": "2021-03-10",
            "diplomat": None, "cause": "border shooting", "reported_only": False}


def sentence_span(text: str, opening: str) -> list[int]:
    start = text.index(opening)
    return [start, text.index("\n", start)]


def evaluate(tmp_path, capsys, evidence_lines: list[dict], *flags: str) -> tuple[str, str]:
    articles = tmp_path / "articles"
    articles.mkdir(exist_ok=True)
    (articles / "story.txt").write_text(TEXT, encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "story", "published": "2021-03-10", "relevant": True, "incidents": [INCIDENT]}) + "\n")
    evidence = write(tmp_path / "evidence.jsonl", evidence_lines)
    assert main(["evaluate", "--gold", str(gold), "--articles", str(articles), "--evidence", str(evidence), *flags]) == 0
    captured = capsys.readouterr()
    return captured.out, captured.err


def evidence_line(span: list[int], **extra) -> dict:
    return {"id": "story", "key": INCIDENT["key"], "actor": "EST", "target": "LVA", "evidence": [span],
            "kind": "stated", "agree": True, "note": "the lede"} | extra


def test_a_match_found_in_the_sentence_the_gold_names(tmp_path, capsys):
    out, err = evaluate(tmp_path, capsys, [evidence_line(sentence_span(TEXT, "The foreign ministry"))], "--json")
    scores = json.loads(out)
    assert scores["matched"] == 1 and scores["evidence_checked"] == 1 and scores["found_in_evidence"] == 1.0
    assert err == ""


def test_a_match_found_elsewhere_is_listed_and_bad_lines_are_skipped_with_a_message(tmp_path, capsys):
    wrong = evidence_line(sentence_span(TEXT, "Trade between"))
    bad_kind = evidence_line([0, 5], key="EST>LVA 2020", kind="quoted")
    past_the_end = evidence_line([10, 10_000], key="EST>LVA 2019")
    out, err = evaluate(tmp_path, capsys, [wrong, bad_kind, past_the_end], "-v")
    assert "story: elsewhere" in out and "elsewhere:    1" in out and "found_in_evidence: 0.0" in out
    assert "line 2: 'kind' must be one of" in err and "a span ends past the text" in err


def test_without_an_evidence_file_the_scores_say_nothing_of_it(tmp_path, capsys):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "story.txt").write_text(TEXT, encoding="utf-8")
    gold = write(tmp_path / "gold.jsonl", [{"id": "story", "published": "2021-03-10", "relevant": True, "incidents": [INCIDENT]}])
    assert main(["evaluate", "--gold", str(gold), "--articles", str(articles), "--json"]) == 0
    assert "evidence_checked" not in json.loads(capsys.readouterr().out)
    assert main(["evaluate", "--gold", str(gold), "--articles", str(articles), "--evidence", str(tmp_path / "none")]) == 2


def test_the_same_sentence_cut_or_cleaned_differently():
    told = "The foreign ministry of Estonia on Wednesday summoned the ambassador\nof Latvia over a shooting."
    assert same_sentence("The foreign ministry of Estonia on Wednesday summoned the ambassador of Latvia", told)
    assert not same_sentence("Trade between the two countries grew last year, officials said.", told)
    assert not same_sentence("", told)


@pytest.mark.parametrize(("record", "message"), [
    ({"id": "a", "key": "k", "evidence": [], "kind": "stated"}, "'inferred' incident has no spans"),
    ({"id": "a", "key": "k", "evidence": [[5, 2]], "kind": "stated"}, "0 <= start < end"),
    ({"id": "a", "key": "", "evidence": [], "kind": "inferred"}, "'key' must be a non-empty string"),
])
def test_an_evidence_line_that_cannot_be_used_says_why(record, message):
    with pytest.raises(EvidenceFileError, match=message):
        parse_evidence(record)


def test_the_script_adds_checked_lines_and_skips_the_rest(tool, tmp_path, capsys):  # noqa: F811
    text = "Chile summoned the Peruvian ambassador on Monday. Talks went on."
    record = line(tool, url_in(tool, "dev"), text) | {"relevant": True, "incidents": [
        {"key": "CHL>PER 2024-03-11", "types": ["summon"], "actor": "CHL", "target": "PER", "date": "2024-03-11",
         "diplomat": None, "cause": "a summons", "reported_only": False}]}
    tool.split([write(tmp_path / "batch.jsonl", [record])])
    good = {"id": record["id"], "key": "CHL>PER 2024-03-11", "actor": "CHL", "target": "PER",
            "evidence": [[0, text.index(".") + 1]], "kind": "stated", "agree": True, "note": "the lede", "_k": 0}
    unknown_key = good | {"key": "CHL>PER 2024"}
    swapped = good | {"actor": "PER", "target": "CHL"}
    test_article = good | {"id": "r_000000000000"}
    tool.add_evidence([write(tmp_path / "evidence.jsonl", [good, unknown_key, swapped, test_article])])
    kept = [json.loads(row) for row in (tool.GOLD_DIR / "real_dev_evidence.jsonl").read_text().splitlines()]
    assert kept == [{k: v for k, v in good.items() if k != "_k"}]
    err = capsys.readouterr().err
    assert "no incident 'CHL>PER 2024'" in err and "actor and target differ" in err and "not a development article" in err
    # a second line for the same incident replaces the first
    tool.add_evidence([write(tmp_path / "again.jsonl", [good | {"agree": False, "note": "a second look"}])])
    kept = [json.loads(row) for row in (tool.GOLD_DIR / "real_dev_evidence.jsonl").read_text().splitlines()]
    assert len(kept) == 1 and kept[0]["agree"] is False


def test_a_missed_incident_says_what_became_of_its_evidence_sentence(tmp_path, capsys):
    articles = tmp_path / "articles"
    articles.mkdir()
    planned = "Published: 2021-03-10\n\nEstonia may summon the ambassador of Latvia over the shooting at the border crossing.\n"
    silent = "Published: 2021-03-10\n\nEstonia told Latvia on Wednesday that the shooting at the border crossing must stop.\n"
    (articles / "planned.txt").write_text(planned, encoding="utf-8")
    (articles / "silent.txt").write_text(silent, encoding="utf-8")
    gold = write(tmp_path / "gold.jsonl", [
        {"id": name, "published": "2021-03-10", "relevant": True, "incidents": [INCIDENT]} for name in ("planned", "silent")])
    evidence = write(tmp_path / "evidence.jsonl", [
        evidence_line(sentence_span(text, "Estonia"), id=name) for name, text in (("planned", planned), ("silent", silent))])
    assert main(["evaluate", "--gold", str(gold), "--articles", str(articles), "--evidence", str(evidence), "-v"]) == 0
    out = capsys.readouterr().out
    assert "planned: missed" in out and "evidence dropped: unreal" in out
    assert "silent: missed" in out and "evidence no trigger" in out
    assert "missed, by what became of the gold's evidence sentence:" in out
