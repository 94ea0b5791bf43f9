"""Web sources end to end against a local HTTP server: the sources file's web entries,
a news site served on 127.0.0.1 (feed, sitemap index, url list, robots.txt, failures),
`run_pipeline` filling the warehouse, and a second run that fetches no page again."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import duckdb
import pandas as pd
import pytest
from dagster import AssetCheckKey, AssetKey, build_sensor_context

from assets.automation import sources_sensor
from assets.partitions import sources_partitions
from assets.resources import SourcesResource
from assets.runner import run_pipeline
from pipeline.fetch import BlobStore, FetchHistory
from pipeline.ingest import list_web_documents
from pipeline.paths import GAZETTEER_DIR
from pipeline.sources_file import SourcesFileError, parse_sources
from pipeline.stages import clean_raw, discover_web
from tests.conftest import write_sources

FAST = {"allow_private": True, "delay_s": 0, "timeout_s": 1, "retries": 1, "backoff_s": 0}

# The site's articles, in the project's own words.
STORIES = {
    "/news/baku-summons-french-envoy": (
        "2020-11-26", "Baku summons French envoy over Senate resolution",
        ["Azerbaijan's Foreign Ministry summoned the French ambassador on Wednesday and handed him a note of "
         "protest over a resolution passed by the French Senate.",
         "The ministry said the resolution was biased and harmed relations between Baku and Paris.",
         "French officials said the vote did not bind the government in Paris."]),
    "/news/moscow-summons-azerbaijani-envoy": (
        "2021-06-03", "Moscow summons Azerbaijani ambassador over corridor incident",
        ["Russia's Foreign Ministry summoned the ambassador of Azerbaijan on Thursday to protest against "
         "the detention of Russian citizens near the Lachin corridor.",
         "Moscow said the detentions were unacceptable and asked Baku for an explanation.",
         "The Azerbaijani side said it would look into the matter."]),
    "/news/baku-protests-to-washington": (
        "2019-11-08", "Baku protests to Washington over congressional resolution",
        ["Azerbaijan's Foreign Ministry on Thursday issued a statement condemning a resolution adopted by the "
         "United States House of Representatives.",
         "The ministry said the resolution distorted history and would not help peace in the region.",
         "A spokesman for the embassy declined to comment."]),
    "/members/internal-briefing": (
        "2021-01-10", "Internal briefing",
        ["This page is for members only and robots.txt forbids crawlers from fetching it at all.",
         "It mentions that Azerbaijan summoned the Iranian ambassador, but it must never be fetched."]),
}
NAV = "<header><nav><a href='/'>Home</a> | <a href='/politics'>Politics</a> | <a href='/sport'>Sport</a></nav></header>"
FOOTER = "<footer><p>Copyright Caspian Courier. All rights reserved.</p><a href='/privacy'>Privacy policy</a></footer>"


def story_html(path: str) -> str:
    published, title, paragraphs = STORIES[path]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title} | Caspian Courier</title>"
            f"<meta property='article:published_time' content='{published}T10:00:00+04:00'></head><body>{NAV}"
            f"<main><article><h1>{title}</h1>{body}</article></main>"
            "<aside><h3>Related</h3><ul><li><a href='/x'>Markets close higher</a></li></ul></aside>"
            f"{FOOTER}</body></html>")


def rss(server, *paths: str) -> str:
    items = "".join(f"<item><title>{STORIES.get(p, ('', p))[1]}</title><link>{server.url_for(p)}</link>"
                    f"<pubDate>Thu, 26 Nov 2020 08:00:00 +0000</pubDate></item>" for p in paths)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Courier</title>{items}</channel></rss>'


def serve_site(server) -> None:
    url = server.url_for
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /members/\n", content_type="text/plain")
    for path in STORIES:
        server.expect_request(path).respond_with_data(story_html(path), content_type="text/html; charset=utf-8")
    server.expect_request("/news/deleted-story").respond_with_data("not found", status=404)
    server.expect_request("/media/chart.png").respond_with_data(b"\x89PNG\r\n\x1a\n", content_type="image/png")
    server.expect_request("/feed.xml").respond_with_data(
        rss(server, "/news/baku-summons-french-envoy", "/members/internal-briefing", "/news/deleted-story"),
        content_type="application/rss+xml")
    server.expect_request("/sitemap.xml").respond_with_data(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{url('/sitemaps/nested.xml')}</loc></sitemap></sitemapindex>", content_type="application/xml")
    server.expect_request("/sitemaps/nested.xml").respond_with_data(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{url('/sitemaps/2021.xml')}</loc></sitemap>"
        f"<sitemap><loc>{url('/sitemap.xml')}</loc></sitemap></sitemapindex>", content_type="application/xml")
    server.expect_request("/sitemaps/2021.xml").respond_with_data(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{url('/news/moscow-summons-azerbaijani-envoy')}</loc><lastmod>2021-06-03</lastmod></url>"
        f"<url><loc>{url('/about')}</loc><lastmod>2019-01-01</lastmod></url></urlset>", content_type="application/xml")


def site_sources(server, tmp_path: Path) -> Path:
    return write_sources(tmp_path / "sources.yaml", [
        {"name": "courier-feed", "kind": "feed", "url": server.url_for("/feed.xml"), **FAST},
        # /about is outside the prefix; the nested index lists the root index again (a loop).
        {"name": "courier-sitemap", "kind": "sitemap", "url": server.url_for("/sitemap.xml"),
         "path_prefix": "/news/", **FAST},
        {"name": "courier-urls", "kind": "urls", **FAST,
         "urls": [server.url_for("/news/baku-protests-to-washington"), server.url_for("/media/chart.png")]},
    ])


PAGES = [p for p in STORIES if not p.startswith("/members/")]


# -- the sources file --------------------------------------------------------------------------

def test_web_entries_parse_with_their_options(tmp_path: Path):
    (tmp_path / "list.txt").write_text("# our picks\nhttps://example.org/a\n\nhttps://example.org/b\n")
    specs = parse_sources({"sources": [
        {"name": "f", "kind": "feed", "url": "https://example.org/rss", "since": date(2020, 1, 1), "until": "2020-12-31",
         "max_articles": 50, "path_prefix": "/news/", "delay_s": 2, "timeout_s": 5.5, "max_bytes": 1000, "refresh": True},
        {"name": "u", "kind": "urls", "urls": "list.txt"},
    ]}, tmp_path)
    assert specs[0].options["until"] == date(2020, 12, 31) and specs[0].options["max_articles"] == 50
    assert specs[1].urls == ("https://example.org/a", "https://example.org/b")


@pytest.mark.parametrize(("entry", "message"), [
    ({"kind": "feed", "url": "https://e.org/rss", "max_article": 5}, "unknown option(s) max_article"),
    ({"kind": "feed", "url": "https://e.org/rss", "max_articles": 0}, "'max_articles' must be a whole number"),
    ({"kind": "feed", "url": "https://e.org/rss", "allow_private": "yes"}, "'allow_private' must be true, false or a list of host names"),
    ({"kind": "feed", "url": "https://e.org/rss", "since": "last week"}, "'since' must be a date"),
    ({"kind": "feed", "url": "https://e.org/rss", "since": "2021-01-01", "until": "2020-01-01"}, "is after 'until'"),
    ({"kind": "sitemap", "url": "https://e.org/s.xml", "path_prefix": "news"}, "starting with '/'"),
    ({"kind": "sitemap", "url": "https://e.org/s.xml", "timeout_s": 0}, "'timeout_s' must be"),
    ({"kind": "urls", "urls": ["https://e.org/a", "javascript:alert(1)"]}, "is not an http(s) URL"),
    ({"kind": "urls", "urls": "missing.txt"}, "does not exist"),
    ({"kind": "sitemap", "url": "https:///nohost"}, "http(s) 'url'"),
])
def test_bad_web_entries_name_the_entry(tmp_path: Path, entry, message):
    with pytest.raises(SourcesFileError) as excinfo:
        parse_sources({"sources": [{"name": "web-1", **entry}]}, tmp_path)
    assert message in str(excinfo.value) and "source #1 ('web-1')" in str(excinfo.value)


# -- the fetching stage ------------------------------------------------------------------------

def test_every_discovered_page_is_an_input_or_a_logged_failure(httpserver, tmp_path: Path):
    serve_site(httpserver)
    spec, = parse_sources({"sources": [{"name": "feed", "kind": "feed", "url": httpserver.url_for("/feed.xml"), **FAST}]}, tmp_path)
    blobs = BlobStore(tmp_path / "blobs")
    raw, log, failed_listings = discover_web(spec, FetchHistory(), blobs)
    outcomes = dict(zip(raw["uri"].str.replace(httpserver.url_for("/"), "/"), raw["fetch_outcome"]))
    assert outcomes == {"/news/baku-summons-french-envoy": "fetched", "/members/internal-briefing": "robots_disallowed",
                        "/news/deleted-story": "http_error"}
    assert failed_listings == 0 and set(log["kind"]) == {"feed", "page"} and len(log) == 4
    fetched = raw[raw["fetch_outcome"] == "fetched"].iloc[0]
    assert blobs.get(fetched["content_hash"]) == story_html("/news/baku-summons-french-envoy").encode()
    articles, rejected = clean_raw(raw, blobs=blobs)
    assert len(articles) + len(rejected) == len(raw) == 3
    assert sorted(zip(rejected["stage"], rejected["reason"])) == [("fetch", "http_error"), ("fetch", "robots_disallowed")]


def test_pages_already_fetched_are_not_fetched_again_unless_refreshed(httpserver, tmp_path: Path):
    serve_site(httpserver)
    entry = {"name": "feed", "kind": "feed", "url": httpserver.url_for("/feed.xml"), **FAST}
    spec, = parse_sources({"sources": [entry]}, tmp_path)
    blobs = BlobStore(tmp_path / "blobs")
    first = list_web_documents(spec, FetchHistory(), blobs)
    httpserver.clear_log()
    second = list_web_documents(spec, FetchHistory(first.log), blobs)
    assert "/news/baku-summons-french-envoy" not in [r.path for r, _ in httpserver.log]
    assert "/news/deleted-story" in [r.path for r, _ in httpserver.log]  # failures are tried again
    assert {d.uri: d.fetch_outcome for d in second.documents}[httpserver.url_for("/news/baku-summons-french-envoy")] == "cached"
    refresh, = parse_sources({"sources": [{**entry, "refresh": True}]}, tmp_path)
    httpserver.clear_log()
    list_web_documents(refresh, FetchHistory(second.log), blobs)
    assert "/news/baku-summons-french-envoy" in [r.path for r, _ in httpserver.log]


def test_pages_stay_after_they_drop_off_the_feed_and_when_the_feed_fails(httpserver, tmp_path: Path):
    serve_site(httpserver)
    spec, = parse_sources({"sources": [{"name": "feed", "kind": "feed", "url": httpserver.url_for("/feed.xml"), **FAST}]}, tmp_path)
    blobs = BlobStore(tmp_path / "blobs")
    first = list_web_documents(spec, FetchHistory(), blobs)
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /members/\n")
    httpserver.expect_request("/feed.xml").respond_with_data("down", status=503)
    second = list_web_documents(spec, FetchHistory(first.log), blobs)
    assert [r.outcome for r in second.listing_failures] == ["http_error"]
    kept = {d.uri: d.fetch_outcome for d in second.documents}
    assert kept[httpserver.url_for("/news/baku-summons-french-envoy")] == "cached"
    assert len(second.documents) == len(first.documents)  # the failed ones are retried, not forgotten


# Links a listing may give that must never be fetched -> fetch_log.error (outcome bad_url).
UNFETCHABLE = {
    "javascript:alert(1)": "scheme 'javascript' is not http or https",
    "file:///etc/passwd": "scheme 'file' is not http or https",
    "data:text/html,<p>x</p>": "scheme 'data' is not http or https",
    "ftp://example.org/x": "scheme 'ftp' is not http or https",
    "mailto:desk@example.org": "scheme 'mailto' is not http or https",
    "http://[::1": "Invalid IPv6 URL",  # malformed: this one used to crash the feed's parsing
}


def _bad_url_rows(log, site: str) -> list[tuple]:
    """(url, kind, final_url, status, outcome, error, attempts, bytes, content_hash), site URLs as paths."""
    rows = log[["url", "kind", "final_url", "status", "outcome", "error", "attempts", "bytes", "content_hash"]]
    plain = [tuple(None if pd.isna(v) else v.replace(site, "/") if isinstance(v, str) else v for v in row)
             for row in rows.itertuples(index=False)]
    return sorted(plain)


@pytest.mark.parametrize("kind", ["feed", "sitemap", "text sitemap"])
def test_links_that_are_not_http_are_logged_as_bad_url_and_never_fetched(httpserver, tmp_path: Path, kind):
    serve_site(httpserver)
    site, story = httpserver.url_for("/"), "/news/baku-summons-french-envoy"
    creds = httpserver.url_for(story).replace("http://", "http://user:pw@")
    links = [*UNFETCHABLE, creds, httpserver.url_for(story)]
    listing, body, content_type = {
        "feed": ("/hostile.xml", "".join(f"<item><link>{escape(u)}</link></item>" for u in links), "application/rss+xml"),
        "sitemap": ("/hostile-sitemap.xml", "".join(f"<url><loc>{escape(u)}</loc></url>" for u in links), "application/xml"),
        "text sitemap": ("/hostile-sitemap.txt", "\n".join(links), "text/plain"),
    }[kind]
    if kind == "feed":
        body = f'<?xml version="1.0"?><rss version="2.0"><channel>{body}</channel></rss>'
    elif kind == "sitemap":
        body = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'
    httpserver.expect_request(listing).respond_with_data(body, content_type=content_type)
    spec, = parse_sources({"sources": [{"name": "hostile", "kind": kind.split()[-1], "url": httpserver.url_for(listing),
                                        **FAST}]}, tmp_path)
    blobs = BlobStore(tmp_path / "blobs")
    raw, log, failed_listings = discover_web(spec, FetchHistory(), blobs)

    # Every listed URL has its row; the unfetchable ones say why, with no request (attempts 0).
    bad = [(url, "page", url, None, "bad_url", error, 0, 0, None)
           for url, error in [*UNFETCHABLE.items(), (creds, "credentials in the URL")]]
    assert _bad_url_rows(log[log["outcome"] == "bad_url"], site) == sorted(bad)
    assert sorted(zip(log["url"].str.replace(site, "/"), log["kind"], log["outcome"])) == sorted(
        [(listing, kind.split()[-1], "fetched"), (story, "page", "fetched")] + [(u, "page", "bad_url") for u, *_ in bad])
    assert failed_listings == 0
    asked = [r.path for r, _ in httpserver.log]
    assert sorted(asked) == sorted(["/robots.txt", listing, story])  # nothing else was requested

    # Like every page that could not be fetched, each is an input rejected at 'fetch' (inputs = articles + rejected).
    articles, rejected = clean_raw(raw, blobs=blobs)
    assert len(raw) == len(articles) + len(rejected) == len(bad) + 1
    assert list(articles["uri"]) == [httpserver.url_for(story)]
    assert sorted(zip(rejected["uri"], rejected["stage"], rejected["reason"], rejected["detail"])) == sorted(
        (url, "fetch", "bad_url", error) for url, _, _, _, _, error, *_ in bad)


# -- the whole pipeline ------------------------------------------------------------------------

def _warehouse_rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("store", ["duckdb", "parquet"])
def test_run_pipeline_over_feed_sitemap_and_url_list(httpserver, tmp_path: Path, instance, store):
    serve_site(httpserver)
    sources = site_sources(httpserver, tmp_path)
    db = tmp_path / "wh.duckdb"
    run_pipeline(sources, db, instance=instance, log=lambda _: None, store=store)

    site = httpserver.url_for("/")
    articles = _warehouse_rows(db, f"SELECT source, replace(uri, '{site}', '/'), published::VARCHAR, text FROM articles ORDER BY uri")
    assert [(s, u, p) for s, u, p, _ in articles] == [
        ("courier-urls", "/news/baku-protests-to-washington", "2019-11-08"),
        ("courier-feed", "/news/baku-summons-french-envoy", "2020-11-26"),
        ("courier-sitemap", "/news/moscow-summons-azerbaijani-envoy", "2021-06-03"),
    ]
    for _, uri, _, text in articles:
        assert STORIES[uri][2][0] in text  # the main text ...
        assert not any(junk in text for junk in ("Home", "Politics", "Copyright", "Privacy", "Markets close"))  # ... only

    rejected = _warehouse_rows(db, f"SELECT source, replace(uri, '{site}', '/'), stage, reason FROM rejected ORDER BY ALL")
    assert rejected == [("courier-feed", "/members/internal-briefing", "fetch", "robots_disallowed"),
                        ("courier-feed", "/news/deleted-story", "fetch", "http_error"),
                        ("courier-urls", "/media/chart.png", "fetch", "not_html")]
    assert "/members/internal-briefing" not in [r.path for r, _ in httpserver.log]
    log = _warehouse_rows(db, f"SELECT replace(url, '{site}', '/'), kind, outcome, status FROM fetch_log ORDER BY url")
    assert ("/news/deleted-story", "page", "http_error", 404) in log
    assert ("/sitemaps/nested.xml", "sitemap", "fetched", 200) in log
    assert not [row for row in log if row[0] == "/about"]  # outside path_prefix: never fetched
    key = AssetCheckKey(AssetKey("articles"), "every_input_is_an_article_or_rejected")
    record = instance.event_log_storage.get_latest_asset_check_execution_by_key([key])[key]
    assert record.event.dagster_event.event_specific_data.passed

    # Second run: listings are read again, pages already stored are not; failures are retried.
    before = _warehouse_rows(db, "SELECT article_id, text FROM articles ORDER BY ALL")
    httpserver.clear_log()
    run_pipeline(sources, db, instance=instance, log=lambda _: None, store=store)  # history from the same store
    asked = [r.path for r, _ in httpserver.log]
    assert not set(asked) & set(PAGES), asked
    assert {"/feed.xml", "/sitemap.xml", "/news/deleted-story", "/media/chart.png"} <= set(asked)
    assert _warehouse_rows(db, "SELECT article_id, text FROM articles ORDER BY ALL") == before
    cached = _warehouse_rows(db, "SELECT count(*) FROM fetch_log WHERE outcome = 'cached'")[0][0]
    assert cached == len(PAGES)


@pytest.mark.skipif(not any(GAZETTEER_DIR.glob("*.tsv")), reason="the gazetteer data has not landed in data/gazetteer/ yet")
def test_incidents_are_extracted_from_web_articles(httpserver, tmp_path: Path, instance):
    serve_site(httpserver)
    db = tmp_path / "wh.duckdb"
    run_pipeline(site_sources(httpserver, tmp_path), db, instance=instance, log=lambda _: None)
    incidents = _warehouse_rows(db, "SELECT actor, target, event_date::VARCHAR FROM incidents ORDER BY ALL")
    assert ("AZE", "FRA", "2020-11-25") in incidents
    assert ("RUS", "AZE", "2021-06-03") in incidents
    assert ("AZE", "USA", "2019-11-07") in incidents


def test_sensor_backfills_a_new_web_source_alone(httpserver, tmp_path: Path, instance):
    sources = write_sources(tmp_path / "s.yaml", [{"name": "old", "kind": "urls", "urls": ["https://example.org/a"]}])
    instance.add_dynamic_partitions(sources_partitions.name, ["old"])
    resource = SourcesResource(path=str(sources))
    write_sources(sources, [{"name": "old", "kind": "urls", "urls": ["https://example.org/a"]},
                            {"name": "new-feed", "kind": "feed", "url": "https://example.org/rss.xml"}])
    result = sources_sensor(build_sensor_context(instance=instance, resources={"sources": resource}))
    assert [r.partition_key for r in result.run_requests] == ["new-feed"]
    assert [req.partition_keys for req in result.dynamic_partitions_requests] == [["new-feed"]]
    assert httpserver.log == []  # the sensor only reads the file; the run fetches
