"""pipeline/corrections alone: parsing and validation, anchors, every decision applied to a
mentions frame, the corrections file's fallback and atomic append. No Dagster."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from pipeline.corrections import CorrectionsError, correct_and_merge, parse_corrections
from pipeline.corrections.corrections_file import append_correction, read_corrections
from pipeline.corrections.gold import gold_lines

TEXT = ("Baku, 6 November 2019. Azerbaijan summoned the Russian ambassador on Wednesday over a visit. "
        "Later that day, Azerbaijan summoned the Russian ambassador again over remarks. "
        "Moscow condemned the arrests in Tbilisi.")
URI = "file:///data/samples/a01_baku.txt"
ARTICLE = {"article_id": "art1", "source": "wire", "uri": URI, "published": date(2019, 11, 8), "text": TEXT,
           "text_hash": "h1"}
WHEN = "2026-11-29T08:00:00Z"


def _sentence(fragment: str) -> tuple[int, int]:
    start = TEXT.index(fragment)
    return start, start + len(fragment)


def _mention(mention_id: str, fragment: str, actor: str, target: str, day: date | None, **extra) -> dict:
    start, end = _sentence(fragment)
    row = {"mention_id": mention_id, "article_id": "art1", "source": "wire", "event_type": "summon",
           "types": ["summon"], "actor": actor, "target": target, "event_date": day,
           "date_precision": "day" if day else None, "reported_only": False, "diplomat": None, "cause": None,
           "sentence": TEXT[start:end], "char_start": start, "char_end": end, "rule": "summon/agent",
           "confidence": 0.9, "uri": URI, "text_hash": "h1", "published": date(2019, 11, 8)}
    row.update(extra)
    return row


S1 = "Azerbaijan summoned the Russian ambassador on Wednesday over a visit."
S2 = "Later that day, Azerbaijan summoned the Russian ambassador again over remarks."
S3 = "Moscow condemned the arrests in Tbilisi."


def _mentions() -> pd.DataFrame:
    return pd.DataFrame([
        _mention("m1", S1, "AZE", "RUS", date(2019, 11, 6)),
        _mention("m2", S2, "AZE", "RUS", date(2019, 11, 6)),
        _mention("m3", S3, "RUS", "GEO", date(2019, 11, 5), event_type="protest_statement",
                 types=["protest_statement"], confidence=0.6),
    ])


def _entry(**fields) -> dict:
    return {"who": "alice", "when": WHEN, "why": "checked the article", "article": URI, **fields}


def _yaml(*entries: dict) -> str:
    import yaml
    return yaml.safe_dump({"corrections": list(entries)}, sort_keys=False)


def _apply(*entries: dict):
    return correct_and_merge(_mentions(), pd.DataFrame([ARTICLE]), parse_corrections(_yaml(*entries)))


def _incidents(record) -> dict[str, list]:
    return {row.incident_id: sorted(row.correction_ids) for row in record.incidents.itertuples()}


def test_no_corrections_is_the_plain_merge():
    record = _apply()
    assert set(_incidents(record)) == {"AZE>RUS 2019-11-06", "RUS>GEO 2019-11-05"}
    assert record.corrected_rows == 0 and record.unmatched.empty


def test_reject_a_mention_and_a_whole_incident():
    record = _apply(_entry(id="r1", action="reject", scope="mention", evidence=S3))
    assert set(_incidents(record)) == {"AZE>RUS 2019-11-06"}
    assert list(record.applied["change"]) == ["rejected"]
    record = _apply(_entry(id="r2", action="reject", scope="incident", evidence="summoned the Russian ambassador again"))
    assert set(_incidents(record)) == {"RUS>GEO 2019-11-05"}  # both mentions of the incident went
    assert sorted(record.applied["mention_id"]) == ["m1", "m2"]


def test_fix_an_incident_date_marks_the_rows_and_the_incident():
    record = _apply(_entry(id="f1", action="fix", scope="incident", evidence=S1, set={"date": "2019-11"}))
    assert _incidents(record)["AZE>RUS 2019-11"] == ["f1"]
    fixed = record.mentions[record.mentions["correction_id"] == "f1"]
    assert set(fixed["mention_id"]) == {"m1", "m2"}
    assert set(fixed["rule"]) == {"analyst"} and set(fixed["confidence"]) == {1.0}
    assert set(fixed["date_precision"]) == {"month"}


def test_fix_actor_types_and_reported_only_of_one_mention():
    record = _apply(_entry(id="f2", action="fix", scope="mention", evidence=S3, pair="RUS>GEO",
                           set={"actor": "GEO", "target": "RUS", "types": ["protest_note", "protest_statement"],
                                "reported_only": True}))
    row = record.mentions.set_index("mention_id").loc["m3"]
    assert (row.actor, row.target, list(row.types), row.event_type, row.reported_only) == (
        "GEO", "RUS", ["protest_note", "protest_statement"], "protest_note", True)
    assert "GEO>RUS 2019-11-05" in _incidents(record)


def test_add_a_missed_incident_anchored_to_its_evidence():
    record = _apply(_entry(id="a1", action="add", evidence="condemned the arrests",
                           set={"actor": "RUS", "target": "GEO", "date": "2019-11-04", "types": ["protest_statement"]}))
    added = record.mentions[record.mentions["correction_id"] == "a1"].iloc[0]
    assert TEXT[added.char_start:added.char_end] == added.sentence == "condemned the arrests"
    # A day before the extracted mention of the same article: one text, two days, two incidents.
    assert _incidents(record)["RUS>GEO 2019-11-04"] == ["a1"]
    assert _incidents(record)["RUS>GEO 2019-11-05"] == []


def test_split_makes_a_mention_its_own_incident_even_on_the_same_day():
    assert len(_apply().incidents) == 2  # the two summonses of one day are one incident
    record = _apply(_entry(id="s1", action="split", evidence=S2))
    assert sorted(_incidents(record)) == ["AZE>RUS 2019-11-06", "AZE>RUS 2019-11-06 #2", "RUS>GEO 2019-11-05"]


def test_merge_two_incidents_into_one():
    record = _apply(_entry(id="g1", action="merge", evidence=S3, into={"article": URI, "evidence": S1}))
    assert _incidents(record) == {"AZE>RUS 2019-11-06": ["g1"]}
    assert int(record.incidents.iloc[0].n_mentions) == 3


def test_accept_marks_without_changing():
    record = _apply(_entry(id="ok1", action="accept", scope="mention", evidence=S3))
    assert list(record.applied["change"]) == ["confirmed"]
    assert _incidents(record)["RUS>GEO 2019-11-05"] == ["ok1"]


def test_anchor_survives_rewrapping_and_new_sentence_bounds():
    mentions = _mentions()
    # A new extractor: other ids, other rule names, the sentence cut one word shorter.
    mentions["mention_id"] = "v2-" + mentions["mention_id"]
    mentions["rule"] = "v2/" + mentions["rule"]
    mentions.loc[2, "char_start"] += len("Moscow ")
    wrapped = "Moscow condemned\n   the arrests in Tbilisi."
    record = correct_and_merge(mentions, pd.DataFrame([ARTICLE]), parse_corrections(_yaml(
        _entry(id="r1", action="reject", scope="mention", evidence=wrapped))))
    assert list(record.applied["mention_id"]) == ["v2-m3"] and record.unmatched.empty


@pytest.mark.parametrize("entry, problem", [
    (_entry(id="x", action="reject", scope="mention", evidence=S3, article="file:///gone.txt"), "article_not_found"),
    (_entry(id="x", action="reject", scope="mention", evidence="not in the text"), "evidence_not_found"),
    (_entry(id="x", action="reject", scope="mention", evidence="the Russian ambassador"), "evidence_ambiguous"),
    (_entry(id="x", action="reject", scope="mention", evidence=S3, pair="AZE>RUS"), "no_mention_at_evidence"),
    (_entry(id="x", action="fix", scope="incident", evidence=S1, set={"date": "2019-11-09"}), "refused"),
    (_entry(id="x", action="fix", scope="mention", evidence=S3, set={"actor": "GEO"}), "refused"),
])
def test_a_correction_that_does_not_match_changes_nothing_and_is_listed(entry, problem):
    record = _apply(entry)
    assert list(record.unmatched["problem"]) == [problem]
    assert record.applied.empty and set(_incidents(record)) == set(_incidents(_apply()))


def test_mentions_out_of_reach_still_merge_with_corrected_ones():
    # Another article reports the AZE>RUS summons: out of the corrections' articles, same pair.
    other = {**_mention("o1", S1, "AZE", "RUS", date(2019, 11, 6)), "article_id": "art2", "uri": "file:///b.txt",
             "text_hash": "h2"}
    far = {**_mention("o2", S1, "USA", "FRA", date(2019, 1, 1)), "article_id": "art3", "uri": "file:///c.txt"}
    mentions = pd.concat([_mentions(), pd.DataFrame([other, far])], ignore_index=True)
    corrections = parse_corrections(_yaml(_entry(id="ok", action="accept", scope="mention", evidence=S3)))
    record = correct_and_merge(mentions, pd.DataFrame([ARTICLE]), corrections)
    incidents = record.incidents.set_index("incident_id")
    assert incidents.loc["AZE>RUS 2019-11-06", "n_mentions"] == 3 and incidents.loc["AZE>RUS 2019-11-06", "n_articles"] == 2
    assert list(incidents.loc["RUS>GEO 2019-11-05", "correction_ids"]) == ["ok"]
    assert set(record.members["mention_id"]) == {"m1", "m2", "m3", "o1", "o2"}


def test_a_rejected_mention_stays_rejected_whatever_follows():
    record = _apply(_entry(id="r1", action="reject", scope="mention", evidence=S3),
                    _entry(id="f1", action="fix", scope="mention", evidence=S3, set={"actor": "GEO", "target": "RUS"}),
                    _entry(id="a1", action="accept", scope="incident", evidence=S3))
    assert "m3" not in set(record.mentions["mention_id"])
    assert list(record.unmatched["correction_id"]) == ["f1", "a1"]
    assert set(record.unmatched["problem"]) == {"no_mention_at_evidence"}


def test_two_mentions_at_one_evidence_need_a_pair():
    mentions = pd.concat([_mentions(), pd.DataFrame([_mention("m4", S3, "RUS", "USA", date(2019, 11, 5))])])
    entry = _entry(id="x", action="reject", scope="mention", evidence=S3)
    record = correct_and_merge(mentions, pd.DataFrame([ARTICLE]), parse_corrections(_yaml(entry)))
    assert list(record.unmatched["problem"]) == ["mention_ambiguous"]
    record = correct_and_merge(mentions, pd.DataFrame([ARTICLE]), parse_corrections(_yaml({**entry, "pair": "RUS>USA"})))
    assert list(record.applied["mention_id"]) == ["m4"]


@pytest.mark.parametrize("text, message", [
    ("corrections: [unclosed", "not valid YAML"),
    ("- just a list", "one key, 'corrections'"),
    (_yaml(_entry(id="a", action="smash", evidence=S1)), "entry #1 (id 'a'): action 'smash'"),
    (_yaml(_entry(id="b", action="fix", scope="mention", evidence=S1, set={"actor": "AZE", "target": "AZE"})),
     "entry #1 (id 'b'): actor equals target"),
    (_yaml(_entry(id="c", action="fix", scope="mention", evidence=S1, set={"actor": "QQQ"})), "'QQQ' is not a known code"),
    (_yaml(_entry(id="d", action="fix", scope="mention", evidence=S1, set={"date": "2019-13"})), "does not exist"),
    (_yaml(_entry(id="e", action="fix", scope="mention", evidence=S1, set={"date": "2999-01-01"})), "in the future"),
    (_yaml(_entry(id="f", action="reject", evidence=S1)), "needs 'scope'"),
    (_yaml(_entry(id="g", action="add", evidence=S1, set={"actor": "AZE"})), "add needs 'set' with target, date, types"),
    (_yaml(_entry(id="h", action="reject", scope="mention", evidence=S1), _entry(id="h", action="accept", scope="mention", evidence=S1)),
     "entry #2 (id 'h'): id 'h' already used by entry #1"),
    (_yaml({"id": "i", "action": "reject", "scope": "mention", "article": URI, "evidence": S1, "who": "a", "when": WHEN}),
     "entry #1 (id 'i'): 'why' must be"),
    (_yaml(_entry(id="j", action="merge", evidence=S1)), "merge needs 'into'"),
    (_yaml(_entry(id="k", action="reject", scope="mention", evidence=S1, reson="typo")), "unknown key(s) ['reson']"),
])
def test_bad_corrections_name_the_entry(text, message):
    with pytest.raises(CorrectionsError) as caught:
        parse_corrections(text)
    assert message in str(caught.value)


def test_an_unusable_file_keeps_the_last_good_set(tmp_path):
    path = tmp_path / "corrections.yaml"
    good = _yaml(_entry(id="r1", action="reject", scope="mention", evidence=S3))
    path.write_text(good)
    loaded = read_corrections(path)
    assert [c.id for c in loaded.corrections] == ["r1"] and loaded.error is None
    path.write_text("corrections:\n  - id: r1\n    action: [broken")
    fallback = read_corrections(path, last_good_text=loaded.text)
    assert [c.id for c in fallback.corrections] == ["r1"] and "not valid YAML" in fallback.error
    path.unlink()
    missing = read_corrections(path, last_good_text=loaded.text)
    assert [c.id for c in missing.corrections] == ["r1"] and "missing" in missing.error
    assert read_corrections(path).corrections == [] and read_corrections(path).error is None


def test_append_keeps_comments_and_order_and_never_writes_into_a_broken_file(tmp_path):
    path = tmp_path / "corrections.yaml"
    path.write_text("# our team's corrections\ncorrections: []  # none yet\n")
    append_correction(path, _entry(id="r1", action="reject", scope="mention", evidence=S3))
    append_correction(path, _entry(id="f1", action="fix", scope="incident", evidence=S1, set={"date": "2019-11-05"}))
    text = path.read_text()
    assert text.startswith("# our team's corrections\n")
    assert [c.id for c in parse_corrections(text)] == ["r1", "f1"]
    with pytest.raises(CorrectionsError, match="already used"):
        append_correction(path, _entry(id="r1", action="accept", scope="mention", evidence=S1))
    path.write_text(text + "  - {broken\n")
    before = path.read_bytes()
    with pytest.raises(CorrectionsError, match="unusable, fix it first"):
        append_correction(path, _entry(id="a2", action="accept", scope="mention", evidence=S1))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left behind


def test_gold_lines_are_what_the_articles_report():
    from pipeline.evaluation import Incident
    from pipeline.dates.partial_date import PartialDate
    predicted = {"a01_baku": [Incident("AZE", "RUS", PartialDate(2019, 11, 6), frozenset({"summon"}))]}
    lines = gold_lines(predicted, {"a01_baku": "2019-11-08", "a02_none": None},
                       {("a01_baku", "AZE", "RUS"): ("Mikhail Bocharnikov", None)})
    assert lines == [
        {"id": "a01_baku", "published": "2019-11-08", "relevant": True, "incidents": [
            {"key": "AZE>RUS 2019-11-06", "types": ["summon"], "actor": "AZE", "target": "RUS", "date": "2019-11-06",
             "diplomat": "Mikhail Bocharnikov", "cause": "", "reported_only": False}]},
        {"id": "a02_none", "published": None, "relevant": False, "incidents": []}]
