"""The fetcher against a real HTTP server on 127.0.0.1 (pytest-httpserver): retries,
robots.txt, redirects, limits, address checks, feeds, sitemaps, the blob store and
decoding of pages in other encodings. Waits are recorded instead of slept where the test
is about the wait, so the suite stays fast."""

from __future__ import annotations

import gzip
import time
from datetime import date

import pytest
from werkzeug import Response

from pipeline.cleaning.decode import decode_bytes
from pipeline.fetch import BlobStore, FetchOptions, HttpClient
from pipeline.fetch.addresses import UrlRefused, check_target, normalise_url
from pipeline.fetch.blobs import BlobCorrupt
from pipeline.fetch.client import retry_after_s
from pipeline.fetch.discovery import discover_feed, discover_sitemap
from pipeline.fetch.feeds import parse_feed
from pipeline.fetch.listing import Listed, ListingFilter
from pipeline.fetch.xmlsafe import XmlRefused

FAST = dict(allow_private=True, delay_s=0, timeout_s=1.0, retries=2, backoff_s=0.01)
PAGE = "<html><head><title>Note</title></head><body><p>Baku handed a note of protest.</p></body></html>"
RUSSIAN = ("Министерство иностранных дел Азербайджана вызвало посла Франции "
           "и вручило ему ноту протеста в связи с резолюцией Сената.")


class Sleeps(list):
    """A stand-in for time.sleep that records the waits."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def client(sleep=None, **options) -> HttpClient:
    return HttpClient(FetchOptions(**{**FAST, **options}), **({"sleep": sleep} if sleep is not None else {}))


def allow_robots(server, body: str = "User-agent: *\nAllow: /\n") -> None:
    server.expect_request("/robots.txt").respond_with_data(body, content_type="text/plain")


def paths(server) -> list[str]:
    return [request.path for request, _ in server.log]


# -- plain fetching -----------------------------------------------------------------------

def test_fetches_a_page_with_the_product_user_agent(httpserver):
    allow_robots(httpserver)
    httpserver.expect_request("/a").respond_with_data(PAGE, content_type="text/html; charset=utf-8")
    with client() as http:
        result = http.fetch_page(httpserver.url_for("/a"))
    assert result.ok and result.status == 200 and result.body == PAGE.encode()
    assert (result.content_type, result.charset, result.attempts) == ("text/html", "utf-8", 1)
    agents = {request.headers["User-Agent"] for request, _ in httpserver.log}
    assert agents == {"demarche/0.1 (+https://example.invalid/demarche)"}


def test_404_is_an_http_error_without_retries(httpserver):
    allow_robots(httpserver)
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    with client() as http:
        result = http.fetch_page(httpserver.url_for("/gone"))
    assert (result.outcome, result.status, result.attempts) == ("http_error", 404, 1)


def test_500_then_200_is_retried_with_backoff(httpserver):
    allow_robots(httpserver)
    httpserver.expect_oneshot_request("/flaky").respond_with_data("busy", status=500)
    httpserver.expect_request("/flaky").respond_with_data(PAGE, content_type="text/html")
    sleeps = Sleeps()
    with client(sleep=sleeps, backoff_s=0.5) as http:
        result = http.fetch_page(httpserver.url_for("/flaky"))
    assert result.ok and result.attempts == 2
    assert len(sleeps) == 1 and 0.5 <= sleeps[0] <= 0.65  # the first backoff step, with jitter


def test_persistent_503_gives_up_after_the_retries(httpserver):
    allow_robots(httpserver)
    httpserver.expect_request("/down").respond_with_data("down", status=503)
    sleeps = Sleeps()
    with client(sleep=sleeps, retries=3, backoff_s=1.0) as http:
        result = http.fetch_page(httpserver.url_for("/down"))
    assert (result.outcome, result.status, result.attempts) == ("http_error", 503, 4)
    # Exponential, with up to 25% jitter so that many clients do not retry in step.
    assert len(sleeps) == 3 and all(base <= s <= base * 1.25 for s, base in zip(sleeps, [1, 2, 4]))


def test_429_honours_retry_after_up_to_the_cap(httpserver):
    allow_robots(httpserver)
    httpserver.expect_oneshot_request("/busy").respond_with_data("slow down", status=429, headers={"Retry-After": "7"})
    httpserver.expect_oneshot_request("/busy").respond_with_data("slow down", status=429, headers={"Retry-After": "3600"})
    httpserver.expect_request("/busy").respond_with_data(PAGE, content_type="text/html")
    sleeps = Sleeps()
    with client(sleep=sleeps, max_retry_after_s=30) as http:
        result = http.fetch_page(httpserver.url_for("/busy"))
    assert result.ok and result.attempts == 3
    assert sleeps == [7.0, 30.0]


def test_retry_after_accepts_seconds_and_http_dates():
    assert retry_after_s("12") == 12.0
    assert retry_after_s("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: no wait
    assert retry_after_s("soon") is None


def test_a_response_slower_than_the_timeout_times_out(httpserver):
    allow_robots(httpserver)

    def slow(_request):
        time.sleep(0.8)
        return Response(PAGE, content_type="text/html")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    started = time.monotonic()
    with client(timeout_s=0.3, retries=0) as http:
        result = http.fetch_page(httpserver.url_for("/slow"))
    assert result.outcome == "timeout" and result.status is None
    assert time.monotonic() - started < 0.8


def test_politeness_delay_between_requests_to_one_host(httpserver):
    allow_robots(httpserver)
    httpserver.expect_request("/a").respond_with_data(PAGE, content_type="text/html")
    sleeps = Sleeps()
    with client(sleep=sleeps, delay_s=2.0) as http:
        http.fetch_page(httpserver.url_for("/a"))
        http.fetch_page(httpserver.url_for("/a"))
    # robots.txt, then /a, then /a again: each after a wait of about delay_s.
    assert len(sleeps) == 2 and all(1.5 < s <= 2.0 for s in sleeps)


def test_crawl_delay_in_robots_txt_slows_the_fetcher_down(httpserver):
    allow_robots(httpserver, "User-agent: *\nCrawl-delay: 5\n")
    httpserver.expect_request("/a").respond_with_data(PAGE, content_type="text/html")
    sleeps = Sleeps()
    with client(sleep=sleeps, delay_s=0) as http:
        http.fetch_page(httpserver.url_for("/a"))
        http.fetch_page(httpserver.url_for("/a"))
    assert sleeps and 4.5 < sleeps[-1] <= 5.0


# -- robots.txt -----------------------------------------------------------------------------

def test_robots_disallow_is_obeyed_without_requesting_the_page(httpserver):
    allow_robots(httpserver, "User-agent: *\nDisallow: /members/\n")
    httpserver.expect_request("/members/list").respond_with_data(PAGE, content_type="text/html")
    httpserver.expect_request("/news/a").respond_with_data(PAGE, content_type="text/html")
    with client() as http:
        blocked = http.fetch_page(httpserver.url_for("/members/list"))
        allowed = http.fetch_page(httpserver.url_for("/news/a"))
    assert blocked.outcome == "robots_disallowed" and allowed.ok
    assert paths(httpserver) == ["/robots.txt", "/news/a"]  # robots.txt read once per host


def test_robots_rules_for_demarche_itself_apply(httpserver):
    allow_robots(httpserver, "User-agent: demarche\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    with client() as http:
        assert http.fetch_page(httpserver.url_for("/a")).outcome == "robots_disallowed"


def test_missing_robots_txt_allows_and_failing_robots_txt_disallows(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/a").respond_with_data(PAGE, content_type="text/html")
    with client() as http:
        assert http.fetch_page(httpserver.url_for("/a")).ok
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("", status=503)
    with client(retries=0) as http:
        result = http.fetch_page(httpserver.url_for("/a"))
    assert result.outcome == "robots_disallowed" and "robots.txt unavailable" in result.error


# -- redirects ------------------------------------------------------------------------------

def test_a_redirect_chain_is_followed_to_the_final_url(httpserver):
    allow_robots(httpserver)
    httpserver.expect_request("/r1").respond_with_data("", status=301, headers={"Location": "/r2"})
    httpserver.expect_request("/r2").respond_with_data("", status=302, headers={"Location": httpserver.url_for("/final")})
    httpserver.expect_request("/final").respond_with_data(PAGE, content_type="text/html")
    with client() as http:
        result = http.fetch_page(httpserver.url_for("/r1#top"))
    assert result.ok and result.final_url == httpserver.url_for("/final") and result.attempts == 3
    assert result.url == httpserver.url_for("/r1#top")


def test_a_redirect_loop_and_too_many_redirects_stop(httpserver):
    allow_robots(httpserver)
    httpserver.expect_request("/loop1").respond_with_data("", status=302, headers={"Location": "/loop2"})
    httpserver.expect_request("/loop2").respond_with_data("", status=302, headers={"Location": "/loop1"})
    for i in range(10):
        httpserver.expect_request(f"/hop{i}").respond_with_data("", status=307, headers={"Location": f"/hop{i + 1}"})
    with client(max_redirects=3) as http:
        assert http.fetch_page(httpserver.url_for("/loop1")).outcome == "redirect_loop"
        assert http.fetch_page(httpserver.url_for("/hop0")).outcome == "too_many_redirects"


def test_a_redirect_to_a_private_address_is_refused(httpserver):
    allow_robots(httpserver)
    httpserver.expect_request("/out").respond_with_data("", status=302, headers={"Location": "http://10.0.0.1/admin"})
    httpserver.expect_request("/ftp").respond_with_data("", status=302, headers={"Location": "ftp://example.org/x"})
    # The start is allowed (a test opt-in would allow everything), so check the hop itself.
    with client() as http:
        assert http.fetch_page(httpserver.url_for("/ftp")).outcome == "bad_url"
    with pytest.raises(UrlRefused, match="blocked_address"):
        check_target("http://10.0.0.1/admin", allow_private=False)


# -- limits and content types -----------------------------------------------------------------

def test_an_oversized_body_is_aborted(httpserver):
    allow_robots(httpserver)
    httpserver.expect_request("/big").respond_with_data("x" * 5000, content_type="text/html")
    # No Content-Length: the cap must hold while streaming.
    httpserver.expect_request("/stream").respond_with_handler(
        lambda _r: Response((b"y" * 1000 for _ in range(50)), content_type="text/html"))
    with client(max_bytes=2000) as http:
        big = http.fetch_page(httpserver.url_for("/big"))
        streamed = http.fetch_page(httpserver.url_for("/stream"))
    assert big.outcome == "too_large" and "Content-Length" in big.error
    assert streamed.outcome == "too_large" and streamed.body is None


def test_non_html_content_types_are_not_pages(httpserver):
    allow_robots(httpserver)
    httpserver.expect_request("/photo.png").respond_with_data(b"\x89PNG\r\n", content_type="image/png")
    httpserver.expect_request("/report.pdf").respond_with_data(b"%PDF-1.4", content_type="application/pdf")
    with client() as http:
        for path, kind in [("/photo.png", "image/png"), ("/report.pdf", "application/pdf")]:
            result = http.fetch_page(httpserver.url_for(path))
            assert (result.outcome, result.content_type, result.body) == ("not_html", kind, None)


# -- addresses and URLs --------------------------------------------------------------------------

def test_private_addresses_are_refused_unless_allowed(httpserver):
    httpserver.expect_request("/a").respond_with_data(PAGE, content_type="text/html")
    with client(allow_private=False) as http:
        for url in (httpserver.url_for("/a"), httpserver.url_for("/a").replace("localhost", "127.0.0.1")):
            result = http.fetch_page(url)
            assert result.outcome == "blocked_address", url
    assert paths(httpserver) == []  # not even robots.txt was asked for


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data", "http://[::1]/", "http://192.168.1.1/",
                                 "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/"])
def test_non_public_targets_are_refused(url):
    with pytest.raises(UrlRefused) as excinfo:
        check_target(url, allow_private=False)
    assert excinfo.value.outcome == "blocked_address"


@pytest.mark.parametrize("url", ["ftp://example.org/a", "file:///etc/passwd", "http://user:pw@example.org/", "http:///x"])
def test_only_plain_http_and_https_urls(url):
    with client() as http:
        assert http.fetch_page(url).outcome == "bad_url"


def test_normalise_url_drops_fragments_and_lowercases_the_host():
    assert normalise_url("HTTPS://Example.ORG/News?id=1#comments") == "https://example.org/News?id=1"
    assert normalise_url("http://example.org") == "http://example.org/"


# -- feeds and sitemaps --------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Wire</title>
<item><title>One</title><link>/news/one</link><pubDate>Tue, 10 Nov 2020 08:00:00 +0000</pubDate></item>
<item><title>Two</title><guid isPermaLink="true">https://example.org/news/two#x</guid><dc:date>2020-11-12T09:00:00Z</dc:date></item>
<item><title>No link</title><description>nothing</description></item>
<item><title>One again</title><link>/news/one</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>
<entry><title>A</title><link rel="alternate" href="https://example.org/a"/><link rel="enclosure" href="https://example.org/a.mp3"/>
<published>2021-03-03T10:00:00+04:00</published></entry>
<entry><title>B</title><link href="b"/><updated>2021-03-05T00:00:00Z</updated></entry>
</feed>"""

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><item><title>&lol3;</title><link>https://example.org/x</link></item></channel></rss>"""


def test_rss_and_atom_feeds_list_pages_with_dates(httpserver):
    allow_robots(httpserver)
    httpserver.expect_request("/rss.xml").respond_with_data(RSS, content_type="application/rss+xml")
    httpserver.expect_request("/atom.xml").respond_with_data(ATOM, content_type="application/atom+xml")
    with client() as http:
        rss = discover_feed(http, httpserver.url_for("/rss.xml"))
        atom = discover_feed(http, httpserver.url_for("/atom.xml"))
    assert rss.items == [Listed(httpserver.url_for("/news/one"), date(2020, 11, 10)),
                         Listed("https://example.org/news/two", date(2020, 11, 12))]
    assert atom.items == [Listed("https://example.org/a", date(2021, 3, 3)),
                          Listed(httpserver.url_for("/b"), date(2021, 3, 5))]
    assert [r.outcome for _, r in rss.fetches + atom.fetches] == ["fetched", "fetched"]


def test_an_entity_bomb_in_a_feed_is_refused_not_expanded(httpserver):
    allow_robots(httpserver)
    httpserver.expect_request("/bomb.xml").respond_with_data(BOMB, content_type="application/rss+xml")
    with client() as http:
        found = discover_feed(http, httpserver.url_for("/bomb.xml"))
    assert found.items == []
    (_, result), = found.fetches
    assert result.outcome == "unparsable" and "entities" in result.error
    with pytest.raises(XmlRefused):
        parse_feed(BOMB.encode(), "https://example.org/")


def test_not_a_feed_is_unparsable(httpserver):
    allow_robots(httpserver)
    httpserver.expect_request("/page").respond_with_data(PAGE, content_type="text/html")
    with client() as http:
        (_, result), = discover_feed(http, httpserver.url_for("/page")).fetches
    assert result.outcome == "unparsable"


def _urlset(*entries: tuple[str, str]) -> str:
    rows = "".join(f"<url><loc>{loc}</loc><lastmod>{mod}</lastmod></url>" for loc, mod in entries)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>'


def _index(*entries: tuple[str, str]) -> str:
    rows = "".join(f"<sitemap><loc>{loc}</loc><lastmod>{mod}</lastmod></sitemap>" for loc, mod in entries)
    return f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</sitemapindex>'


def test_a_sitemap_index_with_nested_indexes_and_a_loop(httpserver):
    allow_robots(httpserver)
    url = httpserver.url_for
    httpserver.expect_request("/sitemap.xml").respond_with_data(
        _index((url("/sm/2020.xml.gz"), "2020-12-31"), (url("/sm/nested.xml"), "2021-06-01")), content_type="application/xml")
    httpserver.expect_request("/sm/nested.xml").respond_with_data(
        _index((url("/sm/2021.xml"), "2021-06-01"), (url("/sitemap.xml"), "2021-06-01")), content_type="application/xml")
    httpserver.expect_request("/sm/2020.xml.gz").respond_with_data(
        gzip.compress(_urlset((url("/news/old"), "2020-05-01")).encode()), content_type="application/x-gzip")
    httpserver.expect_request("/sm/2021.xml").respond_with_data(
        _urlset((url("/news/new"), "2021-05-01"), (url("/about"), "2021-01-01")), content_type="application/xml")
    with client() as http:
        found = discover_sitemap(http, url("/sitemap.xml"), ListingFilter())
        recent = discover_sitemap(http, url("/sitemap.xml"), ListingFilter(since=date(2021, 1, 1)))
    assert [i.url for i in found.items] == [url("/news/old"), url("/news/new"), url("/about")]
    assert found.skipped_loops == 1 and len(found.fetches) == 4
    # A child sitemap last modified before the window is not even fetched.
    assert [i.url for i in recent.items] == [url("/news/new"), url("/about")] and len(recent.fetches) == 3


def test_listing_filters():
    items = [Listed("https://e.org/news/a", date(2020, 1, 5)), Listed("https://e.org/news/b", date(2020, 3, 1)),
             Listed("https://e.org/sport/c", date(2020, 2, 1)), Listed("https://e.org/news/d")]
    window = ListingFilter(path_prefix="/news/", since=date(2020, 2, 1), until=date(2020, 12, 31))
    assert [i.url[-1] for i in window.apply(items)] == ["b", "d"]  # undated entries pass the window
    newest = ListingFilter(max_articles=2)
    assert [i.url[-1] for i in newest.apply(items)] == ["b", "c"]


# -- decoding and the blob store -----------------------------------------------------------------

def test_windows_1251_pages_decode_right(httpserver):
    allow_robots(httpserver)
    body_wrong_meta = f'<html><head><meta charset="utf-8"></head><body><p>{RUSSIAN}</p></body></html>'.encode("cp1251")
    body_header_only = f"<html><head><meta charset=\"koi8-r\"></head><body><p>{RUSSIAN}</p></body></html>".encode("cp1251")
    httpserver.expect_request("/wrong-meta").respond_with_data(body_wrong_meta, content_type="text/html")
    httpserver.expect_request("/header").respond_with_data(body_header_only, headers={"Content-Type": "text/html; charset=windows-1251"})
    with client() as http:
        wrong_meta = http.fetch_page(httpserver.url_for("/wrong-meta"))
        header = http.fetch_page(httpserver.url_for("/header"))
    assert wrong_meta.charset is None and RUSSIAN in decode_bytes(wrong_meta.body)
    assert header.charset == "windows-1251"
    # The page's own (wrong) koi8-r meta would garble it; the header's charset wins.
    assert RUSSIAN not in decode_bytes(header.body)
    assert RUSSIAN in decode_bytes(header.body, declared=header.charset)


def test_a_default_latin1_header_does_not_override_the_page(httpserver):
    body = f'<html><head><meta charset="windows-1251"></head><body><p>{RUSSIAN}</p></body></html>'.encode("cp1251")
    assert RUSSIAN in decode_bytes(body, declared="iso-8859-1")


def test_blob_store_keeps_bytes_once_and_checks_them(tmp_path):
    blobs = BlobStore(tmp_path / "blobs")
    digest = blobs.put(PAGE.encode())
    assert blobs.put(PAGE.encode()) == digest and blobs.get(digest) == PAGE.encode()
    path = blobs.path(digest)
    assert path == tmp_path / "blobs" / digest[:2] / f"{digest}.gz" and len(list((tmp_path / "blobs").rglob("*"))) == 2
    path.write_bytes(gzip.compress(b"tampered"))
    with pytest.raises(BlobCorrupt):
        blobs.get(digest)
    with pytest.raises(ValueError):
        blobs.path("../../etc/passwd")
