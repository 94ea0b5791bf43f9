"""Fetching is bounded and safe (issue 13, items 5 and 7), against a real HTTP server on
127.0.0.1: link-local and metadata addresses are never fetched, a redirect to another private
host needs its own permission, a run fetches at most `max_fetches` pages and says so, fetch_log
is written as fetches happen (a run killed with SIGKILL resumes where it stopped), and a
sitemap's URLs beyond the protocol's 50,000 are recorded."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest
import yaml
from werkzeug import Response

from pipeline.fetch import BlobStore, FetchHistory, FetchOptions, HttpClient
from pipeline.fetch.addresses import UrlRefused, check_target
from pipeline.fetch.discovery import discover_sitemap
from pipeline.fetch.listing import ListingFilter
from pipeline.fetch.sitemaps import MAX_SITEMAP_URLS
from pipeline.ingest import list_web_documents, web
from pipeline.sources_file import parse_sources
from pipeline.stages import discover_web, fetch_history
from pipeline.storage import Warehouse
from tests.conftest import REPO, query_rows

FAST = {"delay_s": 0, "timeout_s": 1, "retries": 0, "backoff_s": 0}
PAGE = "<html><body><article><p>Baku handed a note of protest to the envoy {n}.</p></article></body></html>"


def _spec(tmp_path, **entry):
    return parse_sources({"sources": [{"name": "site", **FAST, **entry}]}, tmp_path)[0]


def _serve_pages(server, n: int) -> list[str]:
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n", content_type="text/plain")
    for i in range(1, n + 1):
        server.expect_request(f"/p{i}").respond_with_data(PAGE.format(n=i), content_type="text/html")
    return [server.url_for(f"/p{i}") for i in range(1, n + 1)]


def _requests(server, path: str) -> int:
    return sum(1 for request, _ in server.log if request.path == path)


# -- item 5: addresses --------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://[fd00:ec2::254]/",
    "http://100.100.100.200/latest/meta-data/", "http://[::ffff:169.254.169.254]/", "http://169.254.170.2/v2/credentials",
])
def test_link_local_and_metadata_addresses_are_refused_even_when_private_ones_are_allowed(url):
    with pytest.raises(UrlRefused) as excinfo:
        check_target(url, allow_private=True)
    assert excinfo.value.outcome == "blocked_address" and "never fetched" in excinfo.value.detail


def test_a_redirect_from_an_allowed_intranet_host_to_the_metadata_service_is_refused(httpserver, tmp_path):
    _serve_pages(httpserver, 0)
    httpserver.expect_request("/start").respond_with_data(
        "", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/iam/security-credentials/"})
    spec = _spec(tmp_path, kind="urls", urls=[httpserver.url_for("/start")], allow_private=True)
    (record,) = list_web_documents(spec, FetchHistory(), BlobStore(tmp_path / "blobs")).log
    assert (record.outcome, record.final_url) == ("blocked_address",
                                                   "http://169.254.169.254/latest/meta-data/iam/security-credentials/")
    assert "never fetched" in record.error


@pytest.mark.parametrize(("allow", "outcome"), [(True, "blocked_address"), (["127.0.0.1"], "fetched")],
                         ids=["own host only", "other host named"])
def test_a_redirect_to_another_private_host_needs_its_own_permission(httpserver, tmp_path, allow, outcome):
    assert httpserver.host == "localhost"  # the entry's own host; 127.0.0.1 is another name
    _serve_pages(httpserver, 1)
    other = httpserver.url_for("/p1").replace("localhost", "127.0.0.1")
    httpserver.expect_request("/hop").respond_with_data("", status=302, headers={"Location": other})
    spec = _spec(tmp_path, kind="urls", urls=[httpserver.url_for("/hop")], allow_private=allow)
    (record,) = list_web_documents(spec, FetchHistory(), BlobStore(tmp_path / "blobs")).log
    assert (record.outcome, record.final_url) == (outcome, other)
    assert _requests(httpserver, "/p1") == (1 if outcome == "fetched" else 0)


def test_a_bare_client_allows_a_private_address_only_for_the_host_it_was_asked_for(httpserver):
    _serve_pages(httpserver, 1)
    httpserver.expect_request("/hop").respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/p1").replace("localhost", "127.0.0.1")})
    with HttpClient(FetchOptions(allow_private=True, **FAST)) as http:
        assert http.fetch_page(httpserver.url_for("/p1")).outcome == "fetched"
        assert http.fetch_page(httpserver.url_for("/hop")).outcome == "blocked_address"


# -- item 7: bounded fetching -------------------------------------------------------------------

def test_web_sources_have_a_default_fetch_cap():
    assert FetchOptions.from_options({}).max_fetches == 1000


def test_the_fetch_cap_bites_with_a_log_line_and_the_rest_come_next_run(httpserver, tmp_path, monkeypatch):
    monkeypatch.setattr(web, "PROGRESS_EVERY_S", 0.0)  # a progress line at every page
    urls = _serve_pages(httpserver, 3)
    spec = _spec(tmp_path, kind="urls", urls=urls, allow_private=True, max_fetches=2)
    store, blobs, lines = Warehouse(tmp_path / "wh.duckdb"), BlobStore(tmp_path / "blobs"), []
    raw, log, _ = discover_web(spec, fetch_history(store), blobs, store, log=lines.append)
    assert len(raw) == 2
    assert lines[0] == ("source site: 3 pages to fetch; fetching the newest 2 this run, the other 1 on later runs "
                        "(max_fetches: 2 per run; set max_fetches in the sources file to change it)")
    assert lines[1].startswith("source site: fetching: 1/2 (")
    store.replace_source_rows("site", {"raw_articles": raw, "fetch_log": log})  # as the ingest asset does
    raw, _, _ = discover_web(spec, fetch_history(store), blobs, store, log=lines.append)
    assert len(raw) == 3 and [_requests(httpserver, f"/p{i}") for i in (1, 2, 3)] == [1, 1, 1]


FETCH_UNTIL_KILLED = """
    import sys
    from pipeline.fetch import BlobStore
    from pipeline.ingest import web
    from pipeline.sources_file import load_sources
    from pipeline.stages import discover_web, fetch_history
    from pipeline.storage import Warehouse
    web.CHECKPOINT_EVERY = 1
    spec = load_sources(sys.argv[1])[0]
    store = Warehouse(sys.argv[2])
    discover_web(spec, fetch_history(store), BlobStore(sys.argv[3]), store)
"""


def test_a_run_killed_in_the_middle_of_fetching_resumes_where_it_stopped(httpserver, tmp_path):
    urls = _serve_pages(httpserver, 5)
    child: list[subprocess.Popen] = []

    def kill_the_run(_request):  # the 4th page: the run is killed before it gets an answer
        os.kill(child[0].pid, signal.SIGKILL)
        child[0].wait(timeout=60)
        return Response(PAGE.format(n=4), content_type="text/html")

    httpserver.expect_oneshot_request("/p4").respond_with_handler(kill_the_run)  # before the permanent one
    sources = tmp_path / "sources.yaml"
    sources.write_text(yaml.safe_dump({"sources": [{"name": "site", "kind": "urls", "urls": urls,
                                                    "allow_private": True, **FAST}]}))
    db, blobs = tmp_path / "wh.duckdb", tmp_path / "blobs"
    child.append(subprocess.Popen([sys.executable, "-c", textwrap.dedent(FETCH_UNTIL_KILLED), str(sources), str(db),
                                   str(blobs)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    assert child[0].wait(timeout=300) == -signal.SIGKILL, child[0].stderr.read()[-3000:]
    logged = query_rows(db, "SELECT url, outcome FROM fetch_log ORDER BY url")
    assert logged == [(url, "fetched") for url in urls[:3]]

    store = Warehouse(db)
    raw, log, _ = discover_web(_spec(tmp_path, kind="urls", urls=urls, allow_private=True), fetch_history(store),
                               BlobStore(blobs), store)
    assert sorted(log["outcome"]) == ["cached"] * 3 + ["fetched"] * 2
    assert [_requests(httpserver, f"/p{i}") for i in range(1, 6)] == [1, 1, 1, 2, 1]  # p4: killed, then fetched
    assert len(raw) == 5


def test_urls_beyond_a_sitemaps_limit_are_recorded(httpserver):
    over = 3
    locs = "".join(f"<url><loc>{httpserver.url_for(f'/n/{i}')}</loc></url>" for i in range(MAX_SITEMAP_URLS + over))
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/sitemap.xml").respond_with_data(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>',
        content_type="application/xml")
    with HttpClient(FetchOptions(allow_private=True, **FAST)) as http:
        found = discover_sitemap(http, httpserver.url_for("/sitemap.xml"), ListingFilter())
    assert len(found.items) == MAX_SITEMAP_URLS
    ((kind, result),) = found.fetches
    assert (kind, result.outcome) == ("sitemap", "truncated")
    assert result.error == "3 URL(s) listed beyond the sitemap limit of 50000 were not read"
