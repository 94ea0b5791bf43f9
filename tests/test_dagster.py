"""The Dagster layer against real parts: a DuckDB file in a temp folder and an ephemeral
Dagster instance; assets, checks, sensor and schedule exercised as Dagster runs them."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import duckdb
from dagster import AssetCheckKey, AssetKey, build_schedule_context, build_sensor_context

from assets.automation import daily_schedule, sources_sensor
from assets.definitions import build_definitions, defs
from assets.partitions import sources_partitions
from assets.resources import SourcesResource
from assets.runner import run_pipeline
from tests.conftest import write_corpus, write_sources

PUBLIC_TABLES = ["articles", "rejected", "event_mentions", "incidents", "protests_per_year", "protests_per_cochair"]


def _snapshot(db: Path) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table in PUBLIC_TABLES:
            columns = [c for c in con.execute(f"SELECT * FROM {table} LIMIT 0").df().columns
                       if c not in ("cleaned_at", "rejected_at", "discovered_at")]
            out[table] = con.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


def test_definitions_load():
    repo = defs.get_repository_def()
    names = {k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()}
    assert {"raw_articles", "articles", "event_mentions", "incidents", "protests_per_year", "protests_per_cochair"} <= names
    assert {s.name for s in repo.schedule_defs} == {"daily_schedule"}
    assert {s.name for s in repo.sensor_defs} == {"sources_sensor", "marts_after_ingest_sensor", "corrections_sensor"}


def test_materialize_all_assets_for_a_partition(tmp_path, sources_file, instance):
    db = tmp_path / "wh.duckdb"
    run_pipeline(sources_file, db, instance=instance, log=lambda _: None)
    con = duckdb.connect(str(db), read_only=True)
    try:
        articles = con.execute("SELECT uri, format, published FROM articles ORDER BY uri").fetchall()
        assert [Path(u).name for u, *_ in articles] == ["credentials.txt", "french_envoy.html", "moscow_condemns.txt"]
        rejected = con.execute("SELECT uri, reason, detail FROM rejected").fetchall()
        assert len(rejected) == 1 and rejected[0][1] == "duplicate" and rejected[0][0].endswith("french_envoy_copy.html.gz")
        incidents = con.execute("SELECT actor, target, event_date::VARCHAR, date_precision, types FROM incidents ORDER BY ALL").fetchall()
        assert ("AZE", "FRA", "2020-11-25", "day", ["protest_note", "summon"]) in incidents
        assert ("RUS", "UKR", "2019-11-07", "day", ["protest_statement"]) in incidents
        # The credentials story is not a protest.
        assert not con.execute("SELECT * FROM event_mentions m JOIN articles a USING (article_id) WHERE a.uri LIKE '%credentials%'").fetchall()
        mentions = con.execute("SELECT incident_id, sentence, char_start, char_end, a.text FROM event_mentions JOIN articles a USING (article_id)").fetchall()
        assert mentions and all(iid and text[s:e] == sentence for iid, sentence, s, e, text in mentions)
        cochair = con.execute("SELECT year, cochair, role, incidents FROM protests_per_cochair WHERE incidents > 0").fetchall()
        assert (2020, "FRA", "target", 1) in cochair
        years = dict(con.execute("SELECT year, incidents FROM protests_per_year").fetchall())
        assert years == {2019: 1, 2020: 1}
    finally:
        con.close()
    # Every asset check ran inside those runs, and passed.
    for asset, check in [("articles", "every_input_is_an_article_or_rejected"), ("incidents", "actor_differs_from_target"),
                         ("incidents", "every_mention_has_article_and_incident"), ("incidents", "no_incident_after_its_article")]:
        key = AssetCheckKey(AssetKey(asset), check)
        record = instance.event_log_storage.get_latest_asset_check_execution_by_key([key])[key]
        assert record is not None and record.event.dagster_event.event_specific_data.passed, check


def test_running_twice_gives_identical_tables(tmp_path, sources_file, instance):
    db = tmp_path / "wh.duckdb"
    run_pipeline(sources_file, db, instance=instance, log=lambda _: None)
    first = _snapshot(db)
    run_pipeline(sources_file, db, instance=instance, log=lambda _: None)
    assert _snapshot(db) == first
    assert first["incidents"]


def test_a_partition_run_replaces_only_its_own_rows(tmp_path, instance):
    a, b = tmp_path / "a", tmp_path / "b"
    write_corpus(a)
    write_corpus(b)
    sources = write_sources(tmp_path / "s.yaml", [{"name": "one", "kind": "folder", "path": str(a)},
                                                  {"name": "two", "kind": "folder", "path": str(b)}])
    db = tmp_path / "wh.duckdb"
    run_pipeline(sources, db, instance=instance, log=lambda _: None)
    (a / "moscow_condemns.txt").unlink()
    job = build_definitions(str(db), str(sources)).resolve_job_def("ingest_job")
    assert job.execute_in_process(partition_key="one", instance=instance).success
    con = duckdb.connect(str(db), read_only=True)
    counts = dict(con.execute("SELECT source, count(*) FROM articles GROUP BY source").fetchall())
    con.close()
    assert counts == {"one": 2, "two": 3}
    # Incidents merge across sources: the same incidents from two sources, two sources each.
    run_pipeline(sources, db, instance=instance, log=lambda _: None)
    con = duckdb.connect(str(db), read_only=True)
    n_sources = dict(con.execute("SELECT target, n_sources FROM incidents").fetchall())
    con.close()
    assert n_sources == {"FRA": 2, "UKR": 1}


def test_sensor_registers_a_new_source_and_requests_runs_for_it_alone(tmp_path, corpus, instance):
    sources = write_sources(tmp_path / "s.yaml", [{"name": "old", "kind": "folder", "path": str(corpus)}])
    instance.add_dynamic_partitions(sources_partitions.name, ["old"])
    resource = SourcesResource(path=str(sources))
    result = sources_sensor(build_sensor_context(instance=instance, resources={"sources": resource}))
    assert not getattr(result, "run_requests", None)
    write_sources(sources, [{"name": "old", "kind": "folder", "path": str(corpus)},
                            {"name": "fresh", "kind": "folder", "path": str(corpus)}])
    result = sources_sensor(build_sensor_context(instance=instance, resources={"sources": resource}))
    assert [r.partition_key for r in result.run_requests] == ["fresh"]
    assert [req.partition_keys for req in result.dynamic_partitions_requests] == [["fresh"]]


def test_sensor_skips_on_a_broken_sources_file(tmp_path, instance):
    bad = tmp_path / "s.yaml"
    bad.write_text("sources:\n  - name: x\n    kind: gopher\n")
    result = sources_sensor(build_sensor_context(instance=instance, resources={"sources": SourcesResource(path=str(bad))}))
    assert "unknown kind" in result.skip_message


def test_schedule_yields_one_run_per_source(instance):
    instance.add_dynamic_partitions(sources_partitions.name, ["alpha", "beta", "gamma"])
    context = build_schedule_context(
        instance=instance, repository_def=defs.get_repository_def(),
        scheduled_execution_time=datetime(2026, 1, 2, 5, tzinfo=timezone.utc),
    )
    requests = list(daily_schedule.evaluate_tick(context).run_requests)
    assert sorted(r.partition_key for r in requests) == ["alpha", "beta", "gamma"]
    assert len({r.run_key for r in requests}) == 3


def test_bad_inputs_land_in_rejected(tmp_path, instance):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "scan.html").write_bytes(b"%PDF-1.4 not really html")
    (folder / "broken.txt.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    (folder / "nav_only.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    (folder / "ok.txt").write_text("Azerbaijan's Foreign Ministry summoned the Iranian ambassador on 3 March 2021 over remarks by an Iranian official.")
    sources = write_sources(tmp_path / "s.yaml", [{"name": "bad", "kind": "folder", "path": str(folder)}])
    db = tmp_path / "wh.duckdb"
    run_pipeline(sources, db, instance=instance, log=lambda _: None)
    con = duckdb.connect(str(db), read_only=True)
    reasons = dict(con.execute("SELECT regexp_extract(uri, '[^/]+$'), reason FROM rejected").fetchall())
    n_articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    n_raw = con.execute("SELECT count(*) FROM raw_articles").fetchone()[0]
    con.close()
    assert reasons == {"empty.txt": "empty", "scan.html": "binary", "broken.txt.gz": "unreadable", "nav_only.html": "no_text"}
    assert n_articles == 1 and n_raw == n_articles + len(reasons)
