"""robots.txt, read once per host and run (RFC 9309): a missing file (4xx) allows
everything; a file the server fails to give (5xx, timeout, refused) disallows everything
for this run, since the site may be down or overloaded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB
MAX_CRAWL_DELAY_S = 30.0  # a site asking for more is still visited, at this pace


@dataclass(frozen=True)
class RobotsRules:
    parser: RobotFileParser | None  # None: the whole host is disallowed
    reason: str  # why, when disallowed

    def allows(self, url: str, agent: str) -> bool:
        return self.parser is not None and self.parser.can_fetch(agent, url)

    def crawl_delay(self, agent: str) -> float:
        delay = self.parser.crawl_delay(agent) if self.parser is not None else None
        return min(float(delay), MAX_CRAWL_DELAY_S) if delay else 0.0


def host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def rules_from_response(status: int | None, body: bytes | None, failure: str | None) -> RobotsRules:
    parser = RobotFileParser()
    if status is not None and 200 <= status < 300 and body is not None:
        parser.parse(body.decode("utf-8", errors="replace").splitlines())
        return RobotsRules(parser, "")
    if status is not None and 400 <= status < 500:
        parser.allow_all = True
        return RobotsRules(parser, "")
    return RobotsRules(None, f"robots.txt unavailable ({failure or f'HTTP {status}'}); assuming disallow")


class RobotsCache:
    """Rules per scheme+host; `download(url)` returns (status, body, failure) for robots.txt."""

    def __init__(self, download: Callable[[str], tuple[int | None, bytes | None, str | None]]):
        self._download = download
        self._rules: dict[str, RobotsRules] = {}

    def cached(self, url: str) -> RobotsRules | None:
        return self._rules.get(host_key(url))

    def rules_for(self, url: str) -> RobotsRules:
        key = host_key(url)
        if key not in self._rules:
            self._rules[key] = rules_from_response(*self._download(f"{key}/robots.txt"))
        return self._rules[key]
