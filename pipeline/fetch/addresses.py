"""Which URLs may be fetched at all: http(s) only, and no loopback, private, link-local or
otherwise non-public address unless the source opts in (a feed must not be able to make
the pipeline probe the machine's own network)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit, urlunsplit


class UrlRefused(Exception):
    """The URL is not fetched; `outcome` is the fetch_log outcome to record."""

    def __init__(self, outcome: str, detail: str):
        super().__init__(f"{outcome}: {detail}")
        self.outcome = outcome
        self.detail = detail


def normalise_url(url: str) -> str:
    """The URL without its fragment (never sent to a server) and with a lowercase scheme and host."""
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:
        raise UrlRefused("bad_url", str(exc)) from None
    netloc = parts.netloc.lower() if "@" not in parts.netloc else parts.netloc
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def check_syntax(url: str) -> tuple[str, int]:
    """(host, port) of an http(s) URL, or UrlRefused('bad_url')."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UrlRefused("bad_url", str(exc)) from None
    if parts.scheme not in ("http", "https"):
        raise UrlRefused("bad_url", f"scheme {parts.scheme!r} is not http or https")
    if not parts.hostname:
        raise UrlRefused("bad_url", "no host")
    if parts.username or parts.password:
        raise UrlRefused("bad_url", "credentials in the URL")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv4 addresses inside IPv6 ones (mapped, 6to4, Teredo) are judged by the IPv4 address.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            ip = embedded
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def check_target(url: str, allow_private: bool) -> None:
    """Refuse a URL that is malformed or whose host resolves to any non-public address.

    Every address the name resolves to is checked: one private answer is enough to refuse.
    (The HTTP library resolves the name again when it connects; the client also checks the
    peer address of the open connection to narrow that window.)
    """
    host, port = check_syntax(url)
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UrlRefused("connection_error", f"cannot resolve {host!r}: {exc}") from None
    for info in infos:
        address = info[4][0]
        if not is_public(address):
            raise UrlRefused("blocked_address", f"{host!r} resolves to non-public address {address}")
