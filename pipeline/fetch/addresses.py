"""Which URLs may be fetched at all: http(s) only, and no loopback, private or otherwise
non-public address unless the source opts in (a feed must not be able to make the pipeline
probe the machine's own network). Link-local addresses, where cloud metadata services answer
with credentials (169.254.169.254, fd00:ec2::254, ...), are refused whatever the source says."""

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


# Cloud metadata services outside the link-local ranges (AWS over IPv6, Alibaba, Oracle).
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in ("fd00:ec2::254", "100.100.100.200", "192.0.0.192"))


def _ip(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv4 addresses inside IPv6 ones (mapped, 6to4, Teredo) are judged by the IPv4 address.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            return embedded
    return ip


def is_public(address: str) -> bool:
    ip = _ip(address)
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def is_never_allowed(address: str) -> bool:
    """Link-local and cloud metadata addresses: refused even when private ones are allowed."""
    ip, raw = _ip(address), ipaddress.ip_address(address.split("%", 1)[0])
    return ip.is_link_local or raw.is_link_local or ip in METADATA_ADDRESSES or raw in METADATA_ADDRESSES


def check_address(host: str, address: str, allow_private: bool) -> None:
    """Refuse one address `host` resolved or connected to."""
    if is_never_allowed(address):
        raise UrlRefused("blocked_address", f"{host!r} resolves to link-local or metadata address {address}, "
                         "never fetched")
    if not allow_private and not is_public(address):
        raise UrlRefused("blocked_address", f"{host!r} resolves to non-public address {address}")


def check_target(url: str, allow_private: bool) -> None:
    """Refuse a URL that is malformed or whose host resolves to any non-public address
    (with `allow_private`: to any link-local or metadata address).

    Every address the name resolves to is checked: one bad answer is enough to refuse.
    (The HTTP library resolves the name again when it connects; the client also checks the
    peer address of the open connection to narrow that window.)
    """
    host, port = check_syntax(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UrlRefused("connection_error", f"cannot resolve {host!r}: {exc}") from None
    for info in infos:
        check_address(host, info[4][0], allow_private)
