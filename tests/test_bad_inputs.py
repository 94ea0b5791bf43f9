"""The bad-input suite: every kind of bad input the pipeline may meet, each with its exact
outcome (a row in rejected or fetch_log with the expected reason, or a clear message),
never a crashed run, and inputs = articles + rejected still holding.

One real pipeline run (Dagster, DuckDB, a local HTTP server) reads a folder of bad files and
three web sources; each case is then one parametrized test on its outcome. Cases already
proved elsewhere are not repeated: PROVED_ELSEWHERE names the test that proves each, and
test_cases_proved_elsewhere_exist keeps that list honest. RELIABILITY.md reports the count.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from dagster import AssetCheckKey, AssetKey, instance_for_test
from werkzeug import Response

from assets.runner import run_pipeline
from pipeline.cleaning.clean import MAX_CLEAN_BYTES
from pipeline.evaluation import GoldFileError, load_gold
from pipeline.fetch.addresses import UrlRefused, check_target
from pipeline.fetch.feeds import parse_feed
from pipeline.ingest.documents import MAX_DOCUMENT_BYTES
from pipeline.sources_file import SourcesFileError, load_sources, parse_sources
from pipeline.storage import Warehouse, WarehouseError
from tests.conftest import HTML_PAGE, PLAIN_TEXT, REPO, input_outcome, query_rows, write_corpus, write_sources

FAST = {"allow_private": True, "delay_s": 0, "timeout_s": 2, "retries": 1, "backoff_s": 0}
PARAGRAPH = ("<p>Azerbaijan's Foreign Ministry summoned the French ambassador on Wednesday and handed him "
             "a note of protest over the Senate vote on the separatist entity.</p>")
RUSSIAN = "Министерство иностранных дел России вызвало посла и вручило ноту протеста в связи с заявлением."
ENTITY_BOMB_SITEMAP = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://example.org/&lol3;</loc></url></urlset>"""
FIFTY_MB = 50 * 1024 * 1024


def _html(body: str, charset: str = "utf-8") -> str:
    return f"<!doctype html><html><head><meta charset='{charset}'><title>Note</title></head><body>{body}</body></html>"


def _write_huge_page(path: Path, size: int) -> None:
    """An HTML page of `size` bytes, written in chunks (never held in memory twice)."""
    chunk = PARAGRAPH.encode() * 1000
    with path.open("wb") as out:
        out.write(b"<html><body><article>")
        written = len(b"<html><body><article>")
        while written < size:
            out.write(chunk)
            written += len(chunk)


def _write_folder(folder: Path) -> None:
    write_corpus(folder)  # three good articles, and the HTML page again gzipped: a duplicate
    (folder / "empty.html").write_bytes(b"")
    (folder / "blob.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "photo.html").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 4)
    (folder / "garbled.txt").write_bytes(bytes(range(128, 256)) * 40)
    (folder / "mislabelled.html").write_bytes(_html(f"<article><p>{RUSSIAN}</p><p>{RUSSIAN}</p></article>").encode("cp1251"))
    _write_huge_page(folder / "huge.html", FIFTY_MB)
    with gzip.open(folder / "bomb.html.gz", "wb", compresslevel=9) as out:  # 64 KiB that expand past the cap
        block = b" " * (1024 * 1024)
        for _ in range(MAX_DOCUMENT_BYTES // len(block) + 1):
            out.write(block)
    (folder / "nested.html").write_text(_html("<div>" * 5000 + PARAGRAPH * 3 + "</div>" * 5000))
    (folder / "truncated.html").write_text(HTML_PAGE[: HTML_PAGE.index("The ministry said") + 30])
    (folder / "stub.html").write_text(_html("<article><p>Subscribe to read more.</p></article>"))
    (folder / "moscow_condemns_again.txt").write_text(PLAIN_TEXT.upper())  # same words, other name and case


def _serve(server) -> None:
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n", content_type="text/plain")
    server.expect_request("/broken-feed.xml").respond_with_data("this is { not xml", content_type="application/rss+xml")
    server.expect_request("/bomb-sitemap.xml").respond_with_data(ENTITY_BOMB_SITEMAP, content_type="application/xml")
    server.expect_request("/scan").respond_with_data(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", content_type="text/html")
    # cp1251 bytes under a header that says UTF-8, with no <meta charset>.
    server.expect_request("/wrong-charset").respond_with_data(
        f"<html><body><article><p>{RUSSIAN}</p><p>{RUSSIAN}</p></article></body></html>".encode("cp1251"),
        content_type="text/html; charset=utf-8")
    # 50 MB streamed without a Content-Length: the size cap must hold while downloading.
    server.expect_request("/huge").respond_with_handler(
        lambda _r: Response((PARAGRAPH.encode() * 1000 for _ in range(FIFTY_MB // (len(PARAGRAPH) * 1000))),
                            content_type="text/html"))


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory, make_httpserver):
    """One pipeline run over every bad input: (warehouse path, the Dagster instance, server URL)."""
    tmp = tmp_path_factory.mktemp("bad")
    folder = tmp / "bad"
    _write_folder(folder)
    server = make_httpserver
    server.clear()
    _serve(server)
    sources = write_sources(tmp / "sources.yaml", [
        {"name": "bad-files", "kind": "folder", "path": str(folder)},
        {"name": "broken-feed", "kind": "feed", "url": server.url_for("/broken-feed.xml"), **FAST},
        {"name": "bomb-sitemap", "kind": "sitemap", "url": server.url_for("/bomb-sitemap.xml"), **FAST},
        {"name": "bad-pages", "kind": "urls", **FAST,
         "urls": [server.url_for(p) for p in ("/scan", "/wrong-charset", "/huge")]},
    ])
    db = tmp / "wh.duckdb"
    with instance_for_test() as instance:
        run_pipeline(sources, db, instance=instance, log=lambda _: None)  # raises RunFailed on a crash
        key = AssetCheckKey(AssetKey("articles"), "every_input_is_an_article_or_rejected")
        checks = instance.event_log_storage.get_latest_asset_check_execution_by_key([key])[key]
        yield db, checks, server.url_for("/")
    server.clear()


_rows = query_rows


def _outcome(db: Path, name: str) -> tuple:
    """('article', text) or ('rejected', stage, reason, detail) of the input whose URI ends in `name`."""
    return input_outcome(db, "uri LIKE '%/' || ?", name)


# -- the run as a whole ----------------------------------------------------------------------

def test_the_run_survives_and_every_input_is_an_article_or_rejected(bad_run):
    db, check, _ = bad_run
    per_source = _rows(db, """
        SELECT r.source, count(*), (SELECT count(*) FROM articles a WHERE a.source = r.source),
               (SELECT count(*) FROM rejected j WHERE j.source = r.source)
        FROM raw_articles r GROUP BY r.source ORDER BY r.source""")
    assert [s for s, *_ in per_source] == ["bad-files", "bad-pages"]  # the listings yielded no input
    for source, inputs, n_articles, n_rejected in per_source:
        assert inputs == n_articles + n_rejected, source
    assert check is not None and check.event.dagster_event.event_specific_data.passed


# -- folder inputs: (file name, expected outcome) ------------------------------------------------

FOLDER_CASES = {
    "empty file": ("empty.html", ("rejected", "clean", "empty", "no content")),
    "binary file": ("blob.txt", ("rejected", "clean", "binary", "NUL bytes in content")),
    "image named .html": ("photo.html", ("rejected", "clean", "binary", "JPEG image")),
    "undecodable bytes": ("garbled.txt", ("rejected", "clean", "undecodable", "no text encoding fits the bytes")),
    "mislabelled charset (cp1251 page, <meta charset=utf-8>)": ("mislabelled.html", ("article", RUSSIAN)),
    "50 MB page": ("huge.html", ("rejected", "clean", "too_large", "more than the 10 MiB an article may have")),
    "gzip bomb (expands past 64 MiB)": ("bomb.html.gz", ("rejected", "read", "too_large", "DocumentTooLarge: larger than 64 MiB")),
    "5000 nested divs": ("nested.html", ("article", "handed him a note of protest")),
    "truncated HTML": ("truncated.html", ("article", "summoned French Ambassador Zacharie Gross")),
    "no article text": ("stub.html", ("rejected", "clean", "no_text", "only 4 words of article text")),
    "duplicate under another name (gzipped)": ("french_envoy_copy.html.gz", ("rejected", "clean", "duplicate", "french_envoy.html")),
    "duplicate under another name (other case)": ("moscow_condemns_again.txt", ("rejected", "clean", "duplicate", "moscow_condemns.txt")),
}


@pytest.mark.parametrize("case", list(FOLDER_CASES))
def test_folder_input(bad_run, case):
    db, _, _ = bad_run
    name, expected = FOLDER_CASES[case]
    got = _outcome(db, name)
    assert got[:-1] == expected[:-1], (case, got)
    assert expected[-1] in got[-1], (case, got)


def test_the_size_caps_are_what_the_cases_assume():
    assert MAX_CLEAN_BYTES < FIFTY_MB < MAX_DOCUMENT_BYTES


# -- web inputs ------------------------------------------------------------------------------------

WEB_PAGE_CASES = {
    "PDF served as text/html": ("/scan", ("rejected", "clean", "binary", "PDF document")),
    "mislabelled charset (cp1251 page, header says utf-8)": ("/wrong-charset", ("article", RUSSIAN)),
    "50 MB page over HTTP, no Content-Length": ("/huge", ("rejected", "fetch", "too_large", "body exceeds 10485760 bytes")),
}


@pytest.mark.parametrize("case", list(WEB_PAGE_CASES))
def test_web_page(bad_run, case):
    db, _, _ = bad_run
    path, expected = WEB_PAGE_CASES[case]
    got = _outcome(db, path.lstrip("/"))
    assert got[:-1] == expected[:-1], (case, got)
    assert expected[-1] in got[-1], (case, got)


LISTING_CASES = {
    "malformed feed": ("broken-feed", "feed", "no XML document"),
    "entity bomb in a sitemap": ("bomb-sitemap", "sitemap", "declares XML entities"),
}


@pytest.mark.parametrize("case", list(LISTING_CASES))
def test_bad_listing_is_logged_and_yields_no_input(bad_run, case):
    db, _, _ = bad_run
    source, kind, error = LISTING_CASES[case]
    log = _rows(db, "SELECT kind, outcome, error FROM fetch_log WHERE source = ?", [source])
    assert [(k, o) for k, o, _ in log] == [(kind, "unparsable")] and error in log[0][2]
    assert _rows(db, "SELECT count(*) FROM raw_articles WHERE source = ?", [source]) == [(0,)]


@pytest.mark.parametrize(("data", "expected"), [
    # A feed cut off mid-item keeps the items before the cut (lxml's recovering parser).
    (b'<?xml version="1.0"?><rss version="2.0"><channel><item><link>https://e.org/a</link></item><item><ti', ["https://e.org/a"]),
    (b"", "not well-formed XML"),
    (b"\x00\x01\x02\xff", "not well-formed XML"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % p "x">]><rss/>', "declares XML entities"),
], ids=["truncated feed", "empty feed", "binary feed", "parameter entity"])
def test_malformed_feeds(data, expected):
    if isinstance(expected, list):
        assert [item.url for item in parse_feed(data, "https://e.org/")] == expected
    else:
        with pytest.raises(ValueError, match=expected):
            parse_feed(data, "https://e.org/")


# -- the sources file ------------------------------------------------------------------------------

UNSAFE_NAMES = ["..", "a/../../etc", "a/b", "a\\b", 'say"hi', "it's", "x; DELETE FROM articles", "x' OR '1'='1",
                "", " ", "with space", "ünïcode", "nul\x00byte", "a" * 64, "-dash-first", ".hidden", "%2e%2e", 123, None]


@pytest.mark.parametrize("name", UNSAFE_NAMES, ids=[repr(n)[:20] for n in UNSAFE_NAMES])
def test_unsafe_source_names_are_refused_with_the_entry_named(tmp_path, name):
    with pytest.raises(SourcesFileError) as excinfo:
        parse_sources({"sources": [{"name": name, "kind": "folder", "path": "."}]}, tmp_path)
    assert "source #1" in str(excinfo.value) and "not a safe slug" in str(excinfo.value)


def test_a_sources_file_with_an_unsafe_name_changes_nothing(tmp_path, corpus):
    sources = write_sources(tmp_path / "s.yaml", [{"name": "good", "kind": "folder", "path": str(corpus)},
                                                  {"name": "../escape", "kind": "folder", "path": str(corpus)}])
    db = tmp_path / "wh.duckdb"
    with pytest.raises(SourcesFileError, match=r"source #2 \('../escape'\): name '../escape' is not a safe slug"):
        run_pipeline(sources, db, instance=None, log=lambda _: None)
    assert not db.exists()  # refused before anything was registered or written


def test_a_sources_file_that_is_not_text_is_a_clear_error(tmp_path):
    bad = tmp_path / "s.yaml"
    bad.write_bytes(b"\xff\xfe\x00\x01sources")
    with pytest.raises(SourcesFileError, match="is not valid"):
        load_sources(bad)


# -- the gold file ---------------------------------------------------------------------------------

GOOD_GOLD = {"id": "a1", "relevant": True,
             "incidents": [{"actor": "AZE", "target": "RUS", "date": "2019-11-06", "types": ["summon"]}]}
BAD_GOLD_LINES = {
    "a JSON list": (b"[1, 2]", "expected a JSON object, got list"),
    "a JSON string": (b'"text"', "expected a JSON object, got str"),
    "incidents not a list": (b'{"id": "b", "incidents": 5}', "'incidents' must be a list"),
    "incident without actor": (b'{"id": "b", "incidents": [{"target": "RUS", "date": "2019"}]}', "incident #1: 'actor' must be"),
    "types as a string": (b'{"id": "b", "incidents": [{"actor": "AZE", "target": "RUS", "types": "summon"}]}', "'types' must be a list of strings"),
    "relevant not a boolean": (b'{"id": "b", "relevant": "no"}', "'relevant' must be true or false"),
    "null id": (b'{"id": null}', "'id' must be a file stem"),
    "impossible date": (b'{"id": "b", "incidents": [{"actor": "AZE", "target": "RUS", "date": "2019-13-45"}]}', "bad date '2019-13-45'"),
    "not UTF-8": (b'{"id": "caf\xe9"}', "not UTF-8 text"),
    "duplicate id": (json.dumps(GOOD_GOLD).encode(), "id 'a1' already given on line 1"),
}


@pytest.mark.parametrize("case", list(BAD_GOLD_LINES))
def test_a_bad_gold_line_is_reported_and_skipped(tmp_path, case):
    line, message = BAD_GOLD_LINES[case]
    gold = tmp_path / "gold.jsonl"
    gold.write_bytes(b"\xef\xbb\xbf" + json.dumps(GOOD_GOLD).encode() + b"\n" + line + b"\n")  # with a BOM, as some editors save
    articles, problems = load_gold(gold)
    assert [a.id for a in articles] == ["a1"]
    assert len(problems) == 1 and problems[0].startswith("line 2: ") and message in problems[0], problems


def test_a_missing_gold_file_is_a_clear_error(tmp_path):
    with pytest.raises(GoldFileError, match="cannot read gold file .*nope.jsonl"):
        load_gold(tmp_path / "nope.jsonl")


# -- hostile URLs and values (security) ------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "http://10.0.0.1/", "http://172.16.0.1/", "http://100.64.0.1/", "http://[fc00::1]/",
    "http://[2002:7f00:1::1]/",  # 6to4 around 127.0.0.1
    "http://[64:ff9b::7f00:1]/",  # NAT64 around 127.0.0.1
    "http://2130706433/", "http://0x7f000001/", "http://127.1/", "http://localhost/",  # 127.0.0.1 spelt otherwise
])
def test_hostile_addresses_are_refused(url):
    with pytest.raises(UrlRefused) as excinfo:
        check_target(url, allow_private=False)
    assert excinfo.value.outcome == "blocked_address"
    check_target(url, allow_private=True)  # ... unless the source opts in


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<p>x</p>", "gopher://example.org/", "file://host/etc/passwd"])
def test_only_http_and_https(url):
    with pytest.raises(UrlRefused, match="bad_url"):
        check_target(url, allow_private=True)


def test_values_are_sql_parameters_and_names_come_from_code(tmp_path):
    store = Warehouse(tmp_path / "wh.duckdb")
    row = {"uri": "file:///a", "content_hash": None, "n_bytes": 0, "discovered_at": pd.Timestamp("2024-01-01")}
    for source in ("victim", "x' OR '1'='1", 'x"; DROP TABLE articles; --'):
        store.replace_source_rows(source, {"raw_articles": pd.DataFrame([{**row, "source": source}])})
    store.replace_source_rows("x' OR '1'='1", {"raw_articles": pd.DataFrame(columns=["source", "uri"])})
    assert sorted(store.query_df("SELECT source FROM raw_articles")["source"]) == ['victim', 'x"; DROP TABLE articles; --']
    with pytest.raises(WarehouseError, match="unknown table"):
        store.replace_source_rows("victim", {'raw_articles" WHERE 1=1; --': pd.DataFrame()})
    with pytest.raises(WarehouseError, match="has no column"):
        store.replace_source_rows("victim", {"raw_articles": pd.DataFrame([{**row, "source": "v", 'uri") --': "x"}])})


def test_the_readme_binds_the_dagster_ui_to_localhost():
    commands = [ln for ln in (REPO / "README.md").read_text(encoding="utf-8").splitlines()
                if re.search(r"dagster(-webserver)? dev\b|dagster-webserver ", ln) and "/dagster" in ln]
    assert commands and all("-h 127.0.0.1" in ln for ln in commands), commands


# -- the count -------------------------------------------------------------------------------------

# Cases of the list proved by existing tests (not repeated here).
PROVED_ELSEWHERE = {
    "PDF named .html (folder)": "tests/test_dagster.py::test_bad_inputs_land_in_rejected",
    "broken gzip file": "tests/test_dagster.py::test_bad_inputs_land_in_rejected",
    "page with only navigation": "tests/test_dagster.py::test_bad_inputs_land_in_rejected",
    "whitespace-only file": "tests/test_cleaning.py::test_bad_inputs_are_rejected_with_a_reason",
    "PNG bytes": "tests/test_cleaning.py::test_bad_inputs_are_rejected_with_a_reason",
    "wrong <meta charset> over HTTP": "tests/test_fetch.py::test_windows_1251_pages_decode_right",
    "HTML page served as a feed": "tests/test_fetch.py::test_not_a_feed_is_unparsable",
    "entity bomb in a feed": "tests/test_fetch.py::test_an_entity_bomb_in_a_feed_is_refused_not_expanded",
    "sitemap index that loops": "tests/test_fetch.py::test_a_sitemap_index_with_nested_indexes_and_a_loop",
    "sitemap index that loops, whole run": "tests/test_web_sources.py::test_run_pipeline_over_feed_sitemap_and_url_list",
    "image and PDF content types over HTTP": "tests/test_fetch.py::test_non_html_content_types_are_not_pages",
    "unknown kind, missing folder, bad URL in sources file": "tests/test_sources_file.py::test_invalid_entries_name_the_entry",
    "duplicate source names": "tests/test_sources_file.py::test_duplicate_names_are_refused",
    "sources file not YAML": "tests/test_sources_file.py::test_unreadable_files_give_clear_errors",
    "mistyped web options": "tests/test_web_sources.py::test_bad_web_entries_name_the_entry",
    "broken sources file seen by the sensor": "tests/test_dagster.py::test_sensor_skips_on_a_broken_sources_file",
    "gold lines: not JSON, no id, bad date": "tests/test_evaluation.py::test_bad_gold_lines_are_reported_not_fatal",
}


def test_cases_proved_elsewhere_exist():
    for case, ref in PROVED_ELSEWHERE.items():
        file, test = ref.split("::")
        assert f"\ndef {test}(" in (REPO / file).read_text(encoding="utf-8"), (case, ref)


KNOWN_FAILURES = 0


def test_reliability_md_reports_the_count():
    """RELIABILITY.md states how many bad-input cases are tried and survived; keep it in step.
    Cases are counted by parametrization, here and in tests/test_bad_inputs_more.py (whose strict
    xfails are tried but not survived), plus the ones proved elsewhere."""
    from tests.test_bad_inputs_more import CASES_HERE, KNOWN_FAILURES_HERE

    here = (len(FOLDER_CASES) + len(WEB_PAGE_CASES) + len(LISTING_CASES) + 4  # malformed feeds
            + len(UNSAFE_NAMES) + 2  # whole sources files
            + len(BAD_GOLD_LINES) + 1)  # missing gold file
    tried = here + CASES_HERE + len(PROVED_ELSEWHERE)
    survived = tried - KNOWN_FAILURES - KNOWN_FAILURES_HERE
    text = " ".join((REPO / "RELIABILITY.md").read_text(encoding="utf-8").split())
    expected = (f"{tried} bad-input cases tried, {survived} survived ({here} in tests/test_bad_inputs.py, "
                f"{CASES_HERE} in tests/test_bad_inputs_more.py")
    assert expected in text, expected
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"{tried} bad-input cases tried, {survived} survived" in " ".join(readme.split()), "README.md"
