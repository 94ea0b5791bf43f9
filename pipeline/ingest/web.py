"""The raw documents of a web source (urls, feed, sitemap): discover its pages, reuse the
ones already in the blob store, fetch the others, and record every fetch for fetch_log.

Every page discovered becomes a RawDocument: fetched pages point at their blob, failed
ones carry the outcome (they become `rejected` rows at stage 'fetch' and are tried again
next run). Feeds and sitemaps show a moving window of a site, so pages an earlier run
found for this source stay in it (from fetch_log) after they drop off the listing.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from pipeline.fetch import BlobStore, FetchHistory, FetchOptions, FetchRecord, HttpClient
from pipeline.fetch.client import utcnow
from pipeline.fetch.discovery import discover
from pipeline.fetch.listing import Listed, ListingFilter, newest_first, unique
from pipeline.ingest.documents import RawDocument
from pipeline.progress import Progress, report
from pipeline.sources_file import SourceSpec


@dataclass
class WebInputs:
    documents: list[RawDocument]
    log: list[FetchRecord]  # the source's fetch_log rows: this run's, then older untouched ones
    listing_failures: list[FetchRecord]


def _cached_record(source: str, item: Listed, history: FetchHistory, blobs: BlobStore, refresh: bool,
                   now) -> FetchRecord | None:
    """The page's record when its stored body is still in the blob store (not fetched again)."""
    previous = None if refresh else history.stored(item.url)
    if previous is not None and blobs.has(previous.content_hash):
        return replace(previous, source=source, kind="page", outcome="cached", error=None,
                       listed_date=item.published or previous.listed_date, logged_at=now)
    return None


def _fetched_record(source: str, item: Listed, http: HttpClient, blobs: BlobStore, now) -> FetchRecord:
    result = http.fetch_page(item.url)
    content_hash = blobs.put(result.body) if result.ok else None
    return FetchRecord.from_result(source, "page", result, item.published, content_hash, now)


def _document(record: FetchRecord) -> RawDocument:
    if record.stored:
        return RawDocument(record.source, record.final_url or record.url, record.content_hash, record.bytes,
                           fetch_outcome=record.outcome, charset=record.charset)
    return RawDocument(record.source, record.url, None, 0, read_error=record.error or record.outcome,
                       fetch_outcome=record.outcome)


def _candidates(spec: SourceSpec, found: list[Listed], previous: dict[str, FetchRecord],
                window: ListingFilter) -> list[Listed]:
    items = list(found)
    if spec.kind != "urls":  # a url list is explicit: what it no longer names is not an input
        items += [Listed(url, rec.listed_date) for url, rec in previous.items() if rec.kind == "page"]
    return window.apply(unique(items))


def own_hosts(spec: SourceSpec) -> set[str]:
    """The hosts an entry names itself (its feed or sitemap, its listed URLs)."""
    return {host for url in (spec.url, *spec.urls) if url and (host := urlsplit(url.strip()).hostname)}


# fetch_log is written every this many network fetches, so a run that is stopped (Ctrl-C,
# kill -9, a crash) does not fetch those pages again: the next run finds them in fetch_log.
CHECKPOINT_EVERY = 25
PROGRESS_EVERY_S = 10.0  # a progress line (done, rate, time left) at most this often


def _deferred(spec: SourceSpec, fresh: list[Listed], limit: int, log: Callable[[str], None]) -> set[str]:
    """The pages beyond this run's fetch cap (the newest are fetched first); said in a log line."""
    if len(fresh) <= limit:
        return set()
    waiting = newest_first(fresh)[limit:]
    report(f"source {spec.name}: {len(fresh)} pages to fetch; fetching the newest {limit} this run, the other "
           f"{len(waiting)} on later runs (max_fetches: {limit} per run; set max_fetches in the sources file to "
           "change it)", log)
    return {item.url for item in waiting}


def list_web_documents(spec: SourceSpec, history: FetchHistory, blobs: BlobStore,
                       http: HttpClient | None = None, log: Callable[[str], None] = lambda _: None,
                       checkpoint: Callable[[list[FetchRecord]], None] | None = None) -> WebInputs:
    """A web source's inputs. `log` gets the cap and progress lines; `checkpoint` is handed the
    source's fetch_log rows so far every CHECKPOINT_EVERY fetches, to be stored."""
    options = FetchOptions.from_options(spec.options, own_hosts(spec))
    window = ListingFilter.from_options(spec.options)
    now = utcnow()
    previous = history.of_source(spec.name)
    with nullcontext(http) if http is not None else HttpClient(options) as client:
        found = discover(spec.kind, spec.url, spec.urls, window, client)
        records = [FetchRecord.from_result(spec.name, kind, result, None, None, now) for kind, result in found.fetches]
        candidates = _candidates(spec, found.items, previous, window)
        cached = {item.url: record for item in candidates
                  if (record := _cached_record(spec.name, item, history, blobs, options.refresh, now)) is not None}
        fresh = [item for item in candidates if item.url not in cached]
        waiting = _deferred(spec, fresh, options.max_fetches, log)
        progress = Progress(f"source {spec.name}: fetching", log, every_s=PROGRESS_EVERY_S)
        progress.start(len(fresh) - len(waiting))
        try:
            for item in candidates:
                if item.url in waiting:
                    continue
                if item.url in cached:
                    records.append(cached[item.url])
                    continue
                records.append(_fetched_record(spec.name, item, client, blobs, now))
                progress.step()
                if checkpoint is not None and progress.done % CHECKPOINT_EVERY == 0:
                    checkpoint(_with_untouched(records, previous))
        except BaseException:  # Ctrl-C, a crash: keep what was fetched, so the next run resumes
            if checkpoint is not None and progress.done % CHECKPOINT_EVERY:
                checkpoint(_with_untouched(records, previous))
            raise
    documents: dict[str, RawDocument] = {}
    for record in records:
        if record.kind == "page":
            # Two listed URLs redirecting to one page are one input (raw_articles is keyed by URI).
            documents.setdefault(_document(record).uri, _document(record))
    failures = [r for r in records[: len(found.fetches)] if r.outcome != "fetched"]
    return WebInputs(list(documents.values()), _with_untouched(records, previous), failures)


def _with_untouched(records: list[FetchRecord], previous: dict[str, FetchRecord]) -> list[FetchRecord]:
    """This run's records, then the source's older ones for URLs this run did not touch."""
    touched = {record.url for record in records}
    return records + [record for url, record in previous.items() if url not in touched]
