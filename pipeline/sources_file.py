"""The sources file (data/sources.yaml): what to read, one entry per source.

Each source becomes one Dagster partition, so its name must be a safe, unique slug.
Validation errors name the offending entry so the user can fix the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

# A partition key ends up in run tags, file names and log lines: keep it boring.
SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
KINDS = ("folder", "urls", "feed", "sitemap")


# Options a web source (urls, feed, sitemap) may set: name -> (check, what it must be).
# Defaults live in pipeline/fetch/options.py (fetching) and pipeline/fetch/listing.py (filters).
def _number(minimum: float):
    return lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and v >= minimum


def _integer(minimum: int):
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= minimum


WEB_OPTIONS: dict[str, tuple[Any, str]] = {
    "path_prefix": (lambda v: isinstance(v, str) and v.startswith("/"), "a URL path starting with '/'"),
    "since": (lambda v: isinstance(v, date), "a date (YYYY-MM-DD)"),
    "until": (lambda v: isinstance(v, date), "a date (YYYY-MM-DD)"),
    "max_articles": (_integer(1), "a whole number of at least 1"),
    "max_fetches": (_integer(1), "a whole number of at least 1"),
    "allow_private": (lambda v: isinstance(v, bool) or isinstance(v, list) and bool(v) and all(
        isinstance(h, str) and h.strip() for h in v), "true, false or a list of host names"),
    "refresh": (lambda v: isinstance(v, bool), "true or false"),
    "delay_s": (_number(0), "a number of seconds, 0 or more"),
    "timeout_s": (lambda v: _number(0)(v) and v > 0, "a number of seconds above 0"),
    "max_bytes": (_integer(1), "a whole number of bytes, at least 1"),
    "retries": (lambda v: _integer(0)(v) and v <= 10, "a whole number from 0 to 10"),
    "backoff_s": (_number(0), "a number of seconds, 0 or more"),
}


class SourcesFileError(ValueError):
    """The sources file cannot be used; the message says which entry and why."""


@dataclass(frozen=True)
class SourceSpec:
    name: str
    kind: str
    path: Path | None = None  # folder sources
    url: str | None = None  # feed and sitemap sources
    urls: tuple[str, ...] = ()  # url-list sources
    options: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


def _entry_label(index: int, entry: Any) -> str:
    name = entry.get("name") if isinstance(entry, dict) else None
    return f"source #{index + 1}" + (f" ({name!r})" if name else "")


def _parse_entry(index: int, entry: Any, base_dir: Path) -> SourceSpec:
    label = _entry_label(index, entry)
    if not isinstance(entry, dict):
        raise SourcesFileError(f"{label}: expected a mapping with name and kind, got {type(entry).__name__}")
    name = entry.get("name")
    if not isinstance(name, str) or not SAFE_NAME.match(name):
        raise SourcesFileError(
            f"{label}: name {name!r} is not a safe slug "
            "(lowercase letters, digits, '-' and '_', starting with a letter or digit, at most 63 chars)"
        )
    kind = entry.get("kind")
    if kind not in KINDS:
        raise SourcesFileError(f"{label}: unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    where = {"folder": "path", "urls": "urls"}.get(kind, "url")  # the key that says what to read
    misplaced = sorted(set(entry) & ({"path", "url", "urls"} - {where}))
    if misplaced:
        raise SourcesFileError(f"{label}: a {kind} source takes {where!r}, not {', '.join(map(repr, misplaced))}")
    options = {k: v for k, v in entry.items() if k not in ("name", "kind", where)}
    if kind == "folder":
        if options:
            raise SourcesFileError(f"{label}: unknown key(s) {', '.join(map(repr, sorted(map(str, options))))}; "
                                   "a folder source takes name, kind and path")
        raw_path = entry.get("path")
        if not isinstance(raw_path, str) or not raw_path.strip():
            raise SourcesFileError(f"{label}: a folder source needs a 'path'")
        path = Path(raw_path).expanduser()
        path = (path if path.is_absolute() else base_dir / path).resolve()
        if not path.is_dir():
            raise SourcesFileError(f"{label}: path {str(path)!r} is not an existing folder")
        return SourceSpec(name=name, kind=kind, path=path)
    options = _web_options(label, options)
    if kind == "urls":
        urls = entry.get("urls")
        if isinstance(urls, str):  # a file of URLs, one per line
            list_path = Path(urls).expanduser()
            list_path = list_path if list_path.is_absolute() else base_dir / list_path
            if not list_path.is_file():
                raise SourcesFileError(f"{label}: URL list file {str(list_path)!r} does not exist")
            urls = [ln.strip() for ln in list_path.read_text().splitlines() if ln.strip() and not ln.startswith("#")]
        if not isinstance(urls, list) or not urls or not all(isinstance(u, str) for u in urls):
            raise SourcesFileError(f"{label}: a urls source needs 'urls': a non-empty list or a file of URLs")
        for url in urls:
            if not _is_web_url(url):
                raise SourcesFileError(f"{label}: {url!r} is not an http(s) URL with a host")
        return SourceSpec(name=name, kind=kind, urls=tuple(urls), options=options)
    url = entry.get("url")
    if not isinstance(url, str) or not _is_web_url(url):
        raise SourcesFileError(f"{label}: a {kind} source needs an http(s) 'url'")
    return SourceSpec(name=name, kind=kind, url=url, options=options)


def _is_web_url(url: Any) -> bool:
    try:
        parts = urlsplit(url.strip()) if isinstance(url, str) else None
    except ValueError:
        return False
    return parts is not None and parts.scheme in ("http", "https") and bool(parts.hostname)


def _as_date(value: Any) -> Any:
    # YAML reads 2020-01-01 as a date but '2020-01-01' (quoted) as a string: accept both.
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return value
    return value


def _web_options(label: str, options: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(options) - set(WEB_OPTIONS))
    if unknown:
        raise SourcesFileError(f"{label}: unknown option(s) {', '.join(unknown)}; "
                               f"a web source takes {', '.join(WEB_OPTIONS)}")
    checked = {k: _as_date(v) if k in ("since", "until") else v for k, v in options.items()}
    for key, value in checked.items():
        check, expected = WEB_OPTIONS[key]
        if not check(value):
            raise SourcesFileError(f"{label}: option {key!r} must be {expected}, got {value!r}")
    if "since" in checked and "until" in checked and checked["since"] > checked["until"]:
        raise SourcesFileError(f"{label}: 'since' ({checked['since']}) is after 'until' ({checked['until']})")
    return checked


def parse_sources(document: Any, base_dir: Path) -> list[SourceSpec]:
    if not isinstance(document, dict) or not isinstance(document.get("sources"), list):
        raise SourcesFileError("the sources file must be a mapping with a list under 'sources:'")
    specs: list[SourceSpec] = []
    seen: set[str] = set()
    for index, entry in enumerate(document["sources"]):
        spec = _parse_entry(index, entry, base_dir)
        if spec.name in seen:
            raise SourcesFileError(f"{_entry_label(index, entry)}: duplicate source name {spec.name!r}")
        seen.add(spec.name)
        specs.append(spec)
    return specs


def load_sources(path: Path | str) -> list[SourceSpec]:
    path = Path(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesFileError(f"sources file {str(path)!r} does not exist") from None
    except yaml.YAMLError as exc:
        raise SourcesFileError(f"sources file {str(path)!r} is not valid YAML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise SourcesFileError(f"sources file {str(path)!r} is not valid UTF-8 text: {exc}") from None
    except (RecursionError, ValueError) as exc:
        # yaml.safe_load's own limits: deep nesting exhausts the stack, and an integer of more
        # than 4300 digits hits Python's int conversion limit. (After UnicodeDecodeError, a ValueError.)
        raise SourcesFileError(f"sources file {str(path)!r} is not valid YAML: {type(exc).__name__}: {exc}") from None
    except OSError as exc:
        raise SourcesFileError(f"sources file {str(path)!r} cannot be read: {exc}") from None
    return parse_sources(document, path.resolve().parent)


def source_by_name(specs: list[SourceSpec], name: str) -> SourceSpec:
    for spec in specs:
        if spec.name == name:
            return spec
    raise SourcesFileError(f"no source named {name!r} in the sources file")
