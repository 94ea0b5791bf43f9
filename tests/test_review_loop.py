"""The analysts' loop end to end, on real parts (a DuckDB file, a Dagster instance, the
`demarche` command line): run; reject, fix, add, accept; re-run, also under a new
extractor; an article removed; export-gold scored; the corrections file edited, broken and
watched by the sensor."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from dagster import AssetCheckKey, AssetCheckSeverity, AssetKey, build_sensor_context

import pipeline.stages.extract as extract_stage
from assets.corrections_sensor import corrections_sensor
from assets.definitions import build_definitions
from assets.evaluate import evaluate_folder
from assets.resources import CorrectionsResource
from tests.conftest import analyst_desk, query_rows, write_corpus

MISSED = ("Tbilisi, 7 June 2021\n\nGeorgia's Foreign Ministry said on Monday that Russia had broken its promise to "
          "withdraw troops from Khurvaleti, calling the move a violation of international law.\n")
MISSED_EVIDENCE = "Georgia's Foreign Ministry said on Monday that Russia had broken its promise"
REMOVABLE = ("Baku, 4 March 2021\n\nAzerbaijan's Foreign Ministry summoned the Iranian ambassador on 3 March 2021 "
             "over remarks by an Iranian official.\n")
MART_SQL = "SELECT year, incidents FROM protests_per_year ORDER BY year"


@pytest.fixture
def loop(tmp_path, instance, monkeypatch):
    corpus = tmp_path / "corpus"
    write_corpus(corpus)
    (corpus / "georgia_border.txt").write_text(MISSED, encoding="utf-8")
    (corpus / "baku_iran.txt").write_text(REMOVABLE, encoding="utf-8")
    return analyst_desk(tmp_path, instance, monkeypatch, corpus)


def _check(instance, asset: str, name: str):
    key = AssetCheckKey(AssetKey(asset), name)
    record = instance.event_log_storage.get_latest_asset_check_execution_by_key([key])[key]
    return record.event.dagster_event.event_specific_data


def _incidents(db: Path) -> dict[str, tuple]:
    return {row[0]: row[1:] for row in query_rows(db, "SELECT incident_id, types, correction_ids FROM incidents")}


def _decide(loop) -> None:
    db, review = loop["db"], loop["review"]
    mention = query_rows(db, "SELECT mention_id FROM event_mentions JOIN articles USING (article_id) "
                         "WHERE uri LIKE '%baku_iran%'")[0][0]
    assert review("reject", "RUS>UKR 2019-11-07", "--why", "a hostile step is no protest") == 0
    assert review("fix", "AZE>FRA 2020-11-25", "--date", "2020-11-24", "--why", "the note says Tuesday") == 0
    assert review("add", "corpus/georgia_border.txt", "--evidence", MISSED_EVIDENCE, "--actor", "GEO",
                  "--target", "RUS", "--date", "2021-06-07", "--types", "protest_statement",
                  "--why", "a protest without a protest verb") == 0
    assert review("accept", mention, "--why", "checked") == 0


EXPECTED = {"AZE>FRA 2020-11-24", "AZE>IRN 2021-03-03", "GEO>RUS 2021-06-07"}


def test_the_whole_loop(loop, instance, monkeypatch, capsys):
    db = loop["db"]
    loop["run"]()
    assert set(_incidents(db)) == {"AZE>FRA 2020-11-25", "RUS>UKR 2019-11-07", "AZE>IRN 2021-03-03"}
    assert query_rows(db, MART_SQL) == [(2019, 1), (2020, 1), (2021, 1)]
    assert _check(instance, "review_queue", "no_unreviewed_low_confidence_incidents") is not None

    _decide(loop)
    assert loop["review"]("reject", "no-such-mention", "--why", "x") == 1
    assert "no mention or incident 'no-such-mention'" in capsys.readouterr().err
    loop["run"]()
    incidents = _incidents(db)
    assert set(incidents) == EXPECTED
    assert all(ids for _, ids in incidents.values())  # every incident was decided by an analyst
    assert query_rows(db, MART_SQL) == [(2020, 1), (2021, 2)]
    published = db.with_name("wh.published.duckdb")
    assert query_rows(published, MART_SQL) == [(2020, 1), (2021, 2)]
    assert query_rows(published, "SELECT count(*) FROM latest_incidents WHERE len(correction_ids) > 0") == [(3,)]
    assert set(query_rows(db, "SELECT rule FROM event_mentions")) == {("analyst",)}
    assert query_rows(db, "SELECT count(*) FROM corrections_unmatched") == [(0,)]
    meta = instance.get_latest_materialization_event(AssetKey("incidents")).asset_materialization.metadata
    corrected = query_rows(db, "SELECT count(*) FROM event_mentions WHERE correction_id IS NOT NULL")[0][0]
    rejected = query_rows(db, "SELECT count(*) FROM corrections_applied WHERE change = 'rejected'")[0][0]
    assert meta["corrected_rows"].value == corrected >= 3 and meta["rejected_mentions"].value == rejected >= 1

    # A new extractor: every mention id and rule name changes; the corrections still hold.
    old_ids = {row[0] for row in query_rows(db, "SELECT mention_id FROM mentions")}
    real_extract = extract_stage.extract_with_near_misses

    def extractor_v2(articles):
        found = real_extract(articles)
        for mention in (m for extraction in found for m in extraction.mentions):
            mention.rule = "v2/" + mention.rule
        return found

    monkeypatch.setattr(extract_stage, "extractor_version", lambda: "v2-test")
    monkeypatch.setattr(extract_stage, "extract_with_near_misses", extractor_v2)
    monkeypatch.setattr(extract_stage, "stable_id", lambda *parts: "v2-" + "-".join(parts)[-40:])
    loop["run"]()
    new_ids = {row[0] for row in query_rows(db, "SELECT mention_id FROM mentions")}
    assert new_ids and not new_ids & old_ids
    assert set(_incidents(db)) == EXPECTED
    assert query_rows(db, MART_SQL) == [(2020, 1), (2021, 2)]

    # The article a correction is about is removed: the correction is listed, the check warns.
    (loop["corpus"] / "baku_iran.txt").unlink()
    loop["run"]()
    assert query_rows(db, "SELECT action, problem FROM corrections_unmatched") == [("accept", "article_not_found")]
    check = _check(instance, "incidents", "every_correction_matches")
    assert not check.passed and check.severity == AssetCheckSeverity.WARN
    assert query_rows(db, "SELECT reason FROM review_queue WHERE priority = 0") == [("correction_unmatched",)]

    # The reviewed articles as gold: the corrected record scores 1.0, the extractor alone does not.
    gold = loop["tmp"] / "gold.jsonl"
    assert loop["review"]("export-gold", str(gold)) == 0
    ids = {line["id"] for line in map(yaml.safe_load, gold.read_text().splitlines())}
    assert ids == {"french_envoy", "moscow_condemns", "georgia_border"}
    corrected, _ = evaluate_folder(gold, loop["corpus"], loop["corrections"])
    assert corrected.f1 == 1.0 and corrected.dates_exact == corrected.matched
    monkeypatch.undo()
    extractor_alone, _ = evaluate_folder(gold, loop["corpus"])
    assert extractor_alone.precision < 1.0 and extractor_alone.recall < 1.0


def test_editing_the_corrections_file_rebuilds_incidents_and_marts_only(loop, instance):
    loop["run"]()
    resource = CorrectionsResource(path=str(loop["corrections"]))

    def tick():
        return corrections_sensor(build_sensor_context(instance=instance, resources={"corrections": resource}))

    assert "already reflect" in tick().skip_message
    _decide(loop)
    result = tick()
    [request] = result.run_requests
    assert [event.asset_key for event in result.asset_events] == [AssetKey("corrections_file")]
    assert corrections_sensor.job_name == "marts_job"
    defs = build_definitions(str(loop["db"]), str(loop["sources"]), corrections_path=str(loop["corrections"]))
    before = {key: instance.get_latest_materialization_event(AssetKey(key)).run_id
              for key in ("raw_articles", "articles", "event_mentions")}
    run = defs.resolve_job_def(corrections_sensor.job_name).execute_in_process(instance=instance, tags=request.tags)
    built = {event.asset_key.to_user_string() for event in run.get_asset_materialization_events()}
    assert {"incidents", "protests_per_year", "review_queue", "published_warehouse"} <= built
    assert not built & {"raw_articles", "articles", "event_mentions"}
    assert before == {key: instance.get_latest_materialization_event(AssetKey(key)).run_id for key in before}
    assert set(_incidents(loop["db"])) == EXPECTED
    assert "already reflect" in tick().skip_message

    # A broken file: the last good corrections stay in force, the check fails loudly.
    good = loop["corrections"].read_text()
    loop["corrections"].write_text(good + "  - id: [broken\n")
    assert tick().run_requests
    run = defs.resolve_job_def("marts_job").execute_in_process(instance=instance, raise_on_error=False)
    assert run.success
    assert set(_incidents(loop["db"])) == EXPECTED
    check = _check(instance, "incidents", "corrections_file_is_usable")
    assert not check.passed and check.severity == AssetCheckSeverity.ERROR
    assert query_rows(loop["db"], "SELECT n_corrections, text = ? FROM corrections_in_force", [good]) == [(4, True)]
    # ... and no command writes into it.
    assert loop["review"]("reject", "AZE>FRA 2020-11-24", "--why", "x") == 1
    assert loop["corrections"].read_text() == good + "  - id: [broken\n"


def test_merge_split_and_bad_decisions_from_the_command_line(loop, capsys):
    db, review = loop["db"], loop["review"]
    loop["run"]()
    # The HTML page gives two mentions of one summons (title and lede): split one off, then merge back.
    title = query_rows(db, "SELECT mention_id FROM event_mentions JOIN articles USING (article_id) "
                       "WHERE uri LIKE '%french_envoy%' ORDER BY char_start LIMIT 1")[0][0]
    assert review("split", title, "--date", "2020-11-23", "--why", "the headline is about an earlier summons") == 0
    loop["run"]()
    assert {"AZE>FRA 2020-11-23", "AZE>FRA 2020-11-25"} <= set(_incidents(db))
    assert review("merge", "AZE>FRA 2020-11-23", "--into", "AZE>FRA 2020-11-25", "--why", "one summons after all") == 0
    assert review("fix", "AZE>IRN 2021-03-03", "--types", "summon,protest_note", "--why", "a note was handed") == 0
    loop["run"]()
    incidents = _incidents(db)
    assert [i for i in incidents if i.startswith("AZE>FRA")] == ["AZE>FRA 2020-11-25"]
    assert incidents["AZE>FRA 2020-11-25"][0] == ["protest_note", "summon"]
    assert incidents["AZE>IRN 2021-03-03"][0] == ["protest_note", "summon"]
    capsys.readouterr()
    assert review("reject", "AZE>FRA 2020-11-25") == 1
    assert "needs --why" in capsys.readouterr().err
    assert review("merge", "AZE>FRA 2020-11-25", "--into", title, "--why", "x") == 1
    assert "already one incident" in capsys.readouterr().err
    assert review("add", "corpus/georgia_border.txt", "--evidence", "not in this article", "--actor", "GEO",
                  "--target", "RUS", "--date", "2021-06-07", "--types", "protest_statement", "--why", "x") == 1
    assert "evidence_not_found" in capsys.readouterr().err
    assert review("fix", "AZE>IRN 2021-03-03", "--date", "2021-03-05", "--why", "x") == 1
    assert "after the publication" in capsys.readouterr().err
    assert review("fix", "AZE>IRN 2021-03-03", "--target", "AZE", "--why", "x") == 1
    assert "actor equals target" in capsys.readouterr().err
