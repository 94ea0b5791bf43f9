"""How one web source is fetched: politeness, limits and safety switches.

The sources file (pipeline/sources_file.py) validates the user's values; this module only
holds the defaults and turns a source's options into a FetchOptions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

# Named after the product, with a contact URL, so site operators can tell who is calling.
USER_AGENT = "demarche/0.1 (+https://example.invalid/demarche)"
ROBOTS_AGENT = "demarche"  # the token robots.txt groups are matched against


@dataclass(frozen=True)
class FetchOptions:
    # Fetch loopback and private addresses (an intranet site, tests); never link-local or
    # metadata ones. Only for `private_hosts` (the entry's own hosts and those it names), or,
    # when that is empty, for the host of the URL a fetch starts from: a redirect elsewhere
    # needs its own permission.
    allow_private: bool = False
    private_hosts: frozenset[str] = frozenset()
    refresh: bool = False  # re-fetch pages already in the blob store
    delay_s: float = 1.0  # minimum gap between two requests to the same host
    timeout_s: float = 10.0  # connect and per-read timeout
    max_bytes: int = 10 * 1024 * 1024  # larger pages are aborted while streaming
    retries: int = 3  # extra attempts on 429, 5xx, timeouts and connection errors
    backoff_s: float = 1.0  # first retry delay; doubles at each attempt
    max_retry_after_s: float = 60.0  # a server's Retry-After is honoured up to this
    max_redirects: int = 5
    # Network fetches of pages per run: a sitemap of 100,000 pages at one request a second
    # would run for a day. The newest go first; the rest wait for later runs.
    max_fetches: int = 1000
    user_agent: str = USER_AGENT

    @property
    def total_timeout_s(self) -> float:
        # The per-read timeout does not stop a server that drips a byte a second.
        return max(self.timeout_s * 4, 5.0)

    @classmethod
    def from_options(cls, options: dict[str, Any], own_hosts: Iterable[str] = ()) -> "FetchOptions":
        """A source's options. `allow_private: true` allows private addresses for the entry's
        `own_hosts` only; a list of host names allows them for those hosts as well."""
        known = {f.name for f in fields(cls)} - {"allow_private", "private_hosts"}
        values = {k: v for k, v in options.items() if k in known}
        allowed = options.get("allow_private", False)
        if allowed:
            extra = allowed if isinstance(allowed, (list, tuple)) else ()
            values["allow_private"] = True
            values["private_hosts"] = frozenset(h.lower() for h in (*own_hosts, *extra))
        return cls(**values)
