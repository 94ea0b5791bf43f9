"""The marts, their charts, the published copy and the export, on a real DuckDB file.

Articles and mentions are written straight into the warehouse (as the extraction stage
would), so these tests pin the marts' contents independently of extraction quality; the
real marts_job then merges them into incidents, builds every mart and publishes the copy.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dagster import AssetKey, instance_for_test

from assets.cli import main as cli_main
from assets.definitions import build_definitions
from assets.marts import MART_ASSETS, MENTIONS_WITH_ARTICLES
from pipeline.charts import MART_CHARTS, mart_chart
from pipeline.corrections import correct_and_merge
from pipeline.storage import Warehouse

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MART_NAMES = [a.key.to_user_string() for a in MART_ASSETS]

# (article, source, published, mention: actor, target, date, precision, types, reported_only)
# Seven incidents; AZE>RUS 2019-11-06 is reported by two outlets (two sources), and the
# AZE>USA one only in passing, at month precision; AZE>IRN is dated to the year only.
MENTIONS = [
    ("a1", "wire", "2019-11-07", "AZE", "RUS", "2019-11-06", "day", ["summon", "protest_note"], False),
    ("a2", "agency", "2019-11-08", "AZE", "RUS", "2019-11-06", "day", ["summon"], False),
    ("a3", "wire", "2020-11-26", "AZE", "FRA", "2020-11-25", "day", ["summon", "protest_note"], False),
    ("a4", "wire", "2022-08-02", "RUS", "AZE", "2022-08-01", "day", ["summon"], False),
    ("a4", "wire", "2022-08-02", "AZE", "USA", "2019-03-01", "month", ["protest_statement"], True),
    ("a5", "agency", "2020-10-02", "FRA", "TUR", "2020-10-01", "day", ["protest_statement"], False),
    ("a6", "agency", "2021-03-18", "AZE", "IRN", "2021-01-01", "year", ["protest_statement"], False),
    ("a6", "agency", "2021-03-18", "USA", "RUS", "2021-03-17", "day", ["protest_statement"], False),
]


def _uri(article: str) -> str:
    return f"https://news.example/{article}"


def seed_warehouse(db: Path) -> None:
    """Articles and mentions per source, as the ingest and extraction stages store them."""
    store = Warehouse(db)
    for source in sorted({m[1] for m in MENTIONS}):
        articles, mentions = {}, []
        for i, (article, src, published, actor, target, day, precision, types, reported) in enumerate(MENTIONS):
            if src != source:
                continue
            sentence = f"{actor} protested to {target} ({', '.join(types)})."
            text = articles.get(article, {}).get("text", "")
            start = len(text) + (1 if text else 0)
            text = f"{text} {sentence}".strip()
            articles[article] = dict(
                article_id=article, source=source, uri=_uri(article), title=f"Story {article}",
                published=date.fromisoformat(published), text=text, content_hash=f"h-{article}",
                text_hash=f"t-{article}", format="text", year_hint=None, n_words=len(text.split()),
                cleaned_at=pd.Timestamp("2024-01-01"))
            mentions.append(dict(
                mention_id=f"m{i}", article_id=article, source=source, event_type=types[0], types=sorted(types),
                actor=actor, target=target, event_date=date.fromisoformat(day), date_precision=precision,
                reported_only=reported, diplomat=None, cause="a test cause", sentence=sentence,
                char_start=start, char_end=start + len(sentence), rule="test", confidence=0.9))
        store.replace_source_rows(source, {"articles": pd.DataFrame(list(articles.values())),
                                           "mentions": pd.DataFrame(mentions)})


def seed_record(db: Path) -> None:
    """The seeded mentions merged into the record (event_mentions, incidents) with no
    correction, as the incidents asset would, for tests that need no Dagster run."""
    store = Warehouse(db)
    mentions = store.query_df(MENTIONS_WITH_ARTICLES)
    record = correct_and_merge(mentions, pd.DataFrame(columns=["article_id", "uri", "text"]), [])
    store.replace_tables({"corrected_mentions": record.mentions, "incidents": record.incidents,
                          "incident_members": record.members})


@pytest.fixture(scope="module")
def marts_instance():
    with instance_for_test() as inst:
        yield inst


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, marts_instance) -> Path:
    """A warehouse after one real marts_job run over the seeded mentions (shared by the
    module's tests, which only read it: a Dagster run costs seconds)."""
    db = tmp_path_factory.mktemp("marts") / "wh.duckdb"
    seed_warehouse(db)
    job = build_definitions(str(db), str(db.with_name("unused-sources.yaml"))).resolve_job_def("marts_job")
    assert job.execute_in_process(instance=marts_instance).success
    return db


def _rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_seed_merges_into_seven_incidents(warehouse):
    rows = _rows(warehouse, "SELECT incident_id, n_articles, n_sources FROM incidents ORDER BY incident_id")
    assert len(rows) == 7
    assert ("AZE>RUS 2019-11-06", 2, 2) in rows


def test_protests_per_year_and_cochair_keep_their_public_columns(warehouse):
    assert _rows(warehouse, "SELECT year, incidents, with_summon, with_protest_note, with_protest_statement "
                            "FROM protests_per_year") == [(2019, 2, 1, 1, 1), (2020, 2, 1, 1, 1), (2021, 2, 0, 0, 2), (2022, 1, 1, 0, 0)]
    hits = _rows(warehouse, "SELECT year, cochair, role, incidents FROM protests_per_cochair WHERE incidents > 0 ORDER BY ALL")
    assert hits == [(2019, "RUS", "target", 1), (2019, "USA", "target", 1), (2020, "FRA", "actor", 1),
                    (2020, "FRA", "target", 1), (2021, "RUS", "target", 1), (2021, "USA", "actor", 1), (2022, "RUS", "actor", 1)]


def test_protests_per_dyad_year(warehouse):
    rows = _rows(warehouse, "SELECT actor, target, year, incidents, with_summon, mentions, last_event_date::VARCHAR "
                            "FROM protests_per_dyad_year ORDER BY year, actor, target")
    assert rows == [
        ("AZE", "RUS", 2019, 1, 1, 2, "2019-11-06"), ("AZE", "USA", 2019, 1, 0, 1, "2019-03-01"),
        ("AZE", "FRA", 2020, 1, 1, 1, "2020-11-25"), ("FRA", "TUR", 2020, 1, 0, 1, "2020-10-01"),
        ("AZE", "IRN", 2021, 1, 0, 1, "2021-01-01"), ("USA", "RUS", 2021, 1, 0, 1, "2021-03-17"),
        ("RUS", "AZE", 2022, 1, 1, 1, "2022-08-01"),
    ]


def test_protests_per_month_has_every_month_and_leaves_out_year_precise_incidents(warehouse):
    rows = _rows(warehouse, "SELECT year, month, month_start::VARCHAR, incidents FROM protests_per_month")
    assert rows[0] == (2019, 3, "2019-03-01", 1) and rows[-1] == (2022, 8, "2022-08-01", 1)
    assert len(rows) == 42  # March 2019 .. August 2022, gaps filled with 0
    assert sum(r[3] for r in rows) == 6  # the year-precise AZE>IRN 2021 has no month
    assert (2021, 1, "2021-01-01", 0) in rows


def test_protests_per_type_counts_an_incident_once_per_type(warehouse):
    rows = _rows(warehouse, "SELECT year, event_type, incidents FROM protests_per_type")
    assert rows == [(2019, "protest_note", 1), (2019, "protest_statement", 1), (2019, "summon", 1),
                    (2020, "protest_note", 1), (2020, "protest_statement", 1), (2020, "summon", 1),
                    (2021, "protest_statement", 2), (2022, "summon", 1)]


def test_latest_incidents_carry_evidence_and_every_source_link(warehouse):
    rows = _rows(warehouse, "SELECT incident_id, evidence, evidence_uri, article_uris, sources, n_articles "
                            "FROM latest_incidents")
    assert [r[0] for r in rows] == ["RUS>AZE 2022-08-01", "USA>RUS 2021-03-17", "AZE>IRN 2021", "AZE>FRA 2020-11-25",
                                    "FRA>TUR 2020-10-01", "AZE>RUS 2019-11-06", "AZE>USA 2019-03"]
    aze_rus = rows[5]
    assert aze_rus[1].startswith("AZE protested to RUS") and aze_rus[2] in aze_rus[3]
    assert aze_rus[3] == [_uri("a1"), _uri("a2")] and aze_rus[4] == ["agency", "wire"] and aze_rus[5] == 2


def test_cochair_marts_show_both_directions(warehouse):
    per_year = _rows(warehouse, "SELECT year, cochair, protests_by_cochair, protests_against_cochair "
                                "FROM cochair_protests_per_year")
    assert len(per_year) == 4 * 3  # every co-chair in every year
    assert (2020, "FRA", 1, 1) in per_year and (2021, "USA", 1, 0) in per_year and (2019, "FRA", 0, 0) in per_year
    pairs = _rows(warehouse, "SELECT * FROM cochair_protests_per_counterpart")
    assert pairs == [("FRA", "AZE", 2020, 0, 1), ("FRA", "TUR", 2020, 1, 0), ("RUS", "AZE", 2019, 0, 1),
                     ("RUS", "AZE", 2022, 1, 0), ("RUS", "USA", 2021, 0, 1), ("USA", "AZE", 2019, 0, 1),
                     ("USA", "RUS", 2021, 1, 0)]


def test_every_mart_has_a_chart_in_its_materialization(warehouse, marts_instance):
    for name in MART_NAMES:
        event = marts_instance.get_latest_materialization_event(AssetKey(name))
        metadata = event.asset_materialization.metadata
        assert metadata["chart"].value.startswith("![") and "data:image/png;base64," in metadata["chart"].value, name
        assert "preview" in metadata and metadata["sql"].value == f"sql/marts/{name}.sql"


@pytest.mark.parametrize("name", sorted(MART_CHARTS))
def test_charts_are_small_valid_pngs(warehouse, name):
    con = duckdb.connect(str(warehouse), read_only=True)
    frame = con.execute(f"SELECT * FROM {name}").df()
    con.close()
    png = mart_chart(name, frame)
    assert png.startswith(PNG_SIGNATURE) and 5_000 < len(png) < 150_000
    empty = mart_chart(name, frame.head(0))
    assert empty.startswith(PNG_SIGNATURE) and len(empty) < len(png)


def test_every_mart_file_is_an_asset():
    files = sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "sql" / "marts").glob("*.sql"))
    assert files == sorted(MART_NAMES) == sorted(MART_CHARTS)


def test_the_marts_job_publishes_a_readable_copy(warehouse):
    published = warehouse.with_name("wh.published.duckdb")
    assert published.exists()
    assert _rows(published, "SELECT count(*) FROM incidents") == [(7,)]
    assert _rows(published, "SELECT count(*) FROM event_mentions WHERE incident_id IS NOT NULL") == [(len(MENTIONS),)]
    assert not list(warehouse.parent.glob(".*.tmp*"))  # no temp file left behind


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_export_writes_one_readable_file_per_table(warehouse, tmp_path, fmt, capsys):
    out = tmp_path / "export"
    assert cli_main(["export", "--format", fmt, str(out), "--db", str(warehouse)]) == 0
    expected = {"incidents": 7, "event_mentions": len(MENTIONS), **{name: None for name in MART_NAMES}}
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.{fmt}" for t in expected)
    con = duckdb.connect()
    for table, n in expected.items():
        wanted = n if n is not None else _rows(warehouse, f"SELECT count(*) FROM {table}")[0][0]
        reader = "read_csv_auto" if fmt == "csv" else "read_parquet"
        assert con.execute(f"SELECT count(*) FROM {reader}('{out / f'{table}.{fmt}'}')").fetchone()[0] == wanted, table
    assert "latest_incidents" in capsys.readouterr().out


def test_export_refuses_an_unknown_format(tmp_path):
    with pytest.raises(SystemExit):
        cli_main(["export", "--format", "xlsx", str(tmp_path / "out")])


def test_a_chart_is_drawn_again_only_when_its_rows_change(tmp_path, monkeypatch):
    import pipeline.charts as charts
    from pipeline.chart_cache import mart_chart_cached
    drawn = []
    real = charts.mart_chart
    monkeypatch.setattr(charts, "mart_chart", lambda name, frame: drawn.append(name) or real(name, frame))
    frame = pd.DataFrame({"year": [2020, 2021], "incidents": [3, 4], "with_summon": [1, 2],
                          "with_protest_note": [1, 1], "with_protest_statement": [1, 1], "mentions": [5, 6]})
    first = mart_chart_cached("protests_per_year", frame, tmp_path / "charts")
    assert first.startswith(b"\x89PNG") and drawn == ["protests_per_year"]
    assert mart_chart_cached("protests_per_year", frame, tmp_path / "charts") == first
    assert drawn == ["protests_per_year"]  # the same rows: not drawn again
    changed = frame.assign(incidents=[3, 5])
    assert mart_chart_cached("protests_per_year", changed, tmp_path / "charts") != first
    assert drawn == ["protests_per_year"] * 2
    assert len(list((tmp_path / "charts").glob("protests_per_year-*.png"))) == 1  # the old one is gone
