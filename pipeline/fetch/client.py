"""The HTTP client every web fetch goes through.

Built on `requests` (already installed with Dagster, well kept, streaming bodies and
connect/read timeouts). Retries and redirects are done here rather than by urllib3's
Retry and requests' redirect handling because each hop must be re-checked (scheme,
address, robots.txt), Retry-After must be capped, and fetch_log records the attempts.
"""

from __future__ import annotations

import codecs
import random
import time
from collections.abc import Callable, Collection
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from pipeline.fetch.addresses import UrlRefused, check_address, check_target, normalise_url
from pipeline.fetch.options import ROBOTS_AGENT, FetchOptions
from pipeline.fetch.robots import ROBOTS_MAX_BYTES, RobotsCache, host_key

TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
CHUNK = 64 * 1024


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class FetchResult:
    url: str  # as asked for
    final_url: str  # after redirects (where it failed, for failures)
    outcome: str  # 'fetched' or why not: http_error, timeout, too_large, not_html, ...
    status: int | None = None
    body: bytes | None = None
    content_type: str | None = None
    charset: str | None = None  # from the Content-Type header, a decoding hint
    attempts: int = 0
    error: str | None = None
    fetched_at: datetime = field(default_factory=utcnow)

    @property
    def ok(self) -> bool:
        return self.outcome == "fetched"


class _Failure(Exception):
    def __init__(self, outcome: str, detail: str, status: int | None = None, content_type: str | None = None,
                 transient: bool = False, retry_after: float | None = None):
        super().__init__(f"{outcome}: {detail}")
        self.outcome, self.detail, self.status = outcome, detail, status
        self.content_type, self.transient, self.retry_after = content_type, transient, retry_after


@dataclass
class _Progress:
    requested: str
    url: str  # the current hop
    attempts: int = 0


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """('text/html', 'windows-1251') from 'text/html; charset="windows-1251"'."""
    if not value:
        return None, None
    main, *params = value.split(";")
    charset = None
    for param in params:
        key, _, raw = param.partition("=")
        if key.strip().lower() == "charset":
            name = raw.strip().strip("\"'").lower()
            try:
                codecs.lookup(name)
                charset = name
            except LookupError:
                pass  # an unknown name is no hint at all
    return main.strip().lower() or None, charset


def retry_after_s(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class HttpClient:
    """One per source run: it holds the per-host robots rules and politeness clocks."""

    def __init__(self, options: FetchOptions, sleep: Callable[[float], None] = time.sleep):
        self.options = options
        self._sleep = sleep
        self.session = requests.Session()
        # No proxies or .netrc from the environment: the address checks must see the real target.
        self.session.trust_env = False
        self.session.headers.update({"User-Agent": options.user_agent,
                                     "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
        self._last_request: dict[str, float] = {}
        self._robots = RobotsCache(self._download_robots)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> "HttpClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- public --------------------------------------------------------------------------
    def fetch_page(self, url: str) -> FetchResult:
        return self.fetch(url, accept=PAGE_TYPES)

    def fetch(self, url: str, accept: Collection[str] | None = None, max_bytes: int | None = None,
              obey_robots: bool = True) -> FetchResult:
        """GET a URL, following redirects by hand; never raises for network trouble."""
        progress = _Progress(url, url)
        try:
            progress.url = normalise_url(url)
            seen = {progress.url}
            for _ in range(self.options.max_redirects + 1):
                check_target(progress.url, self._may_be_private(progress.url, url))
                if obey_robots:
                    self._check_robots(progress.url)
                outcome = self._exchange(progress, accept, max_bytes or self.options.max_bytes)
                if isinstance(outcome, FetchResult):
                    return outcome
                if outcome in seen:
                    raise _Failure("redirect_loop", f"redirected back to {outcome}")
                seen.add(outcome)
                progress.url = outcome
            raise _Failure("too_many_redirects", f"more than {self.options.max_redirects} redirects")
        except UrlRefused as exc:
            return FetchResult(url, progress.url, exc.outcome, attempts=progress.attempts, error=exc.detail)
        except _Failure as exc:
            return FetchResult(url, progress.url, exc.outcome, status=exc.status, content_type=exc.content_type,
                               attempts=progress.attempts, error=exc.detail)

    # -- one hop, with retries ---------------------------------------------------------------
    def _exchange(self, progress: _Progress, accept, limit: int) -> FetchResult | str:
        """The response at progress.url: a FetchResult, or the absolute URL it redirects to."""
        for attempt in range(self.options.retries + 1):
            progress.attempts += 1
            try:
                return self._attempt(progress, accept, limit)
            except _Failure as exc:
                if not exc.transient or attempt == self.options.retries:
                    raise
                self._sleep(self._retry_delay(attempt, exc.retry_after))
        raise AssertionError("unreachable")

    def _attempt(self, progress: _Progress, accept, limit: int) -> FetchResult | str:
        url = progress.url
        self._wait_politely(url)
        try:
            response = self.session.get(url, stream=True, allow_redirects=False,
                                        timeout=(self.options.timeout_s, self.options.timeout_s))
        except requests.Timeout as exc:
            raise _Failure("timeout", f"no answer within {self.options.timeout_s:g}s", transient=True) from exc
        except requests.ConnectionError as exc:
            raise _Failure("connection_error", _short(exc), transient=True) from exc
        except requests.RequestException as exc:
            raise _Failure("bad_url", _short(exc)) from exc
        finally:
            self._last_request[host_key(url)] = time.monotonic()
        with closing(response):
            self._check_peer(response, self._may_be_private(url, progress.requested))
            status = response.status_code
            content_type, charset = parse_content_type(response.headers.get("Content-Type"))
            if status in TRANSIENT_STATUSES:
                raise _Failure("http_error", f"HTTP {status}", status, content_type, transient=True,
                               retry_after=retry_after_s(response.headers.get("Retry-After")))
            if status in REDIRECT_STATUSES and response.headers.get("Location"):
                return normalise_url(urljoin(url, response.headers["Location"]))
            if not 200 <= status < 300:
                raise _Failure("http_error", f"HTTP {status}", status, content_type)
            if accept is not None and content_type is not None and content_type not in accept:
                raise _Failure("not_html", f"content type {content_type}", status, content_type)
            body = self._read_body(response, limit, status, content_type)
        return FetchResult(progress.requested, url, "fetched", status=status, body=body,
                           content_type=content_type, charset=charset, attempts=progress.attempts)

    def _read_body(self, response: requests.Response, limit: int, status: int, content_type: str | None) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _Failure("too_large", f"Content-Length {declared} exceeds {limit} bytes", status, content_type)
        deadline = time.monotonic() + self.options.total_timeout_s
        chunks, size = [], 0
        try:
            # read1 returns as soon as some bytes arrive (iter_content waits for a whole chunk,
            # so a server dripping a byte at a time would never reach the deadline check), and
            # decode_content undoes gzip/deflate, so the cap also bounds compression bombs.
            while chunk := response.raw.read1(CHUNK, decode_content=True):
                size += len(chunk)
                if size > limit:
                    raise _Failure("too_large", f"body exceeds {limit} bytes", status, content_type)
                if time.monotonic() > deadline:
                    raise _Failure("timeout", f"body not complete within {self.options.total_timeout_s:g}s",
                                   status, content_type, transient=True)
                chunks.append(chunk)
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            timed_out = "timed out" in str(exc).lower()
            raise _Failure("timeout" if timed_out else "connection_error", _short(exc), status, content_type,
                           transient=True) from exc
        return b"".join(chunks)

    # -- politeness and safety --------------------------------------------------------------
    def _retry_delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.options.max_retry_after_s)
        backoff = self.options.backoff_s * (2 ** attempt)
        return min(backoff * (1 + random.random() / 4), self.options.max_retry_after_s)

    def _wait_politely(self, url: str) -> None:
        key = host_key(url)
        last = self._last_request.get(key)
        if last is None:
            return
        delay = self.options.delay_s
        rules = self._robots.cached(url)
        if rules is not None:
            delay = max(delay, rules.crawl_delay(ROBOTS_AGENT))
        wait = last + delay - time.monotonic()
        if wait > 0:
            self._sleep(wait)

    def _check_robots(self, url: str) -> None:
        rules = self._robots.rules_for(url)
        if not rules.allows(url, ROBOTS_AGENT):
            raise UrlRefused("robots_disallowed", rules.reason or f"robots.txt of {host_key(url)} disallows it")

    def _download_robots(self, robots_url: str) -> tuple[int | None, bytes | None, str | None]:
        result = self.fetch(robots_url, max_bytes=ROBOTS_MAX_BYTES, obey_robots=False)
        return result.status, result.body, None if result.ok else f"{result.outcome}: {result.error}"

    def _may_be_private(self, url: str, requested: str) -> bool:
        """May this hop's host have a private address? Only with allow_private, and only for
        the entry's own hosts (or, with none given, the host the fetch started from)."""
        if not self.options.allow_private:
            return False
        host = _hostname(url)
        return host in self.options.private_hosts if self.options.private_hosts else host == _hostname(requested)

    def _check_peer(self, response: requests.Response, allow_private: bool) -> None:
        """The address actually connected to must pass the same check (DNS may answer
        differently the second time). Best effort: urllib3 exposes the socket only on open
        connections."""
        sock = getattr(getattr(response.raw, "_connection", None), "sock", None)
        try:
            peer = sock.getpeername()[0] if sock is not None else None
        except OSError:
            return
        if peer is not None:
            try:
                check_address(urlsplit(response.url).hostname or "", peer, allow_private)
            except UrlRefused as exc:
                raise _Failure(exc.outcome, f"connected to {peer}: {exc.detail}") from None


def _hostname(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def _short(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]
